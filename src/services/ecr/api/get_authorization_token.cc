#include "services/ecr/api/handlers.h"

namespace ecr::api {

// The token names the credentials that asked for it (and their session token), so the
// registry authenticates it as SigV4 would those credentials: IAM decides each registry call,
// and a token stops working when its user or session does (expiresAt stays now + 12 h, as
// AWS reports it). One entry per registryId asked for (AWS's tokens are per registry;
// hakobu's work for every registry the caller may use).
HandlerResult get_authorization_token(Api& api, RequestContext& context, const Json& input) {
  int64_t expires = static_cast<int64_t>(epoch(now(api, context))) + api.options.token_lifetime_seconds;
  Json entry{
      {"authorizationToken", api.tokens.authorization_token(caller_claims(context, expires))},
      {"expiresAt", expires},
      {"proxyEndpoint", "http://" + registry_host(api, context)},
  };
  Json data = Json::array();
  size_t count = 1;
  if (auto ids = input.find("registryIds"); ids != input.end() && !ids->empty()) count = ids->size();
  for (size_t i = 0; i < count; ++i) data.push_back(entry);
  return Json{{"authorizationData", std::move(data)}};
}

}  // namespace ecr::api
