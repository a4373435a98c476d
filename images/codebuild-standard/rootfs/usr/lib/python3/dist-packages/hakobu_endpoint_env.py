"""Backport of botocore >= 1.31 "service-specific endpoints" to older botocore copies.

hakobu's CodeBuild runner gives every build AWS_ENDPOINT_URL (pointing at hakobu), as a
CodeBuild build on AWS gets its region's endpoints implicitly. Debian bookworm's awscli 2.9
(which vendors its own botocore as awscli.botocore) and python3-botocore 1.29 predate the
setting, so without this module `aws s3 ls` inside a build would call the real AWS.

Loaded from hakobu_endpoint_env.pth at interpreter start-up. It imports nothing heavy: it
only registers an import hook, and patches ClientCreator.create_client when a botocore
"client" module is first imported, and only when that botocore lacks the feature (its
session variables have no "ignore_configured_endpoint_urls"), so a newer botocore
installed later (pip) keeps its own implementation.

Resolution for a client created without an explicit endpoint_url, as AWS documents it
("Service-specific endpoints" in the SDKs and Tools reference guide):
  1. AWS_ENDPOINT_URL_<SERVICE>: <SERVICE> is the model's serviceId, upper case, spaces
     as underscores (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_S3);
  2. AWS_ENDPOINT_URL;
  3. endpoint_url in the active profile of the shared config file.
An explicit endpoint (--endpoint-url, endpoint_url=...) always wins, and
AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or ignore_configured_endpoint_urls = true in the
profile) turns the whole lookup off. Not backported: the profile's `services` section.

It also lets `aws codecommit credential-helper get` sign for the configured CodeCommit
endpoint's host (AWS_ENDPOINT_URL_CODECOMMIT, else AWS_ENDPOINT_URL): the stock helper only
answers for *.amazonaws.com unless given --ignore-host-check, which buildspecs written for
AWS (`credential.helper '!aws codecommit credential-helper $@'`) do not pass. Other hosts
still get no answer, as before.
"""
import importlib.machinery
import inspect
import os
import sys
import urllib.parse

_CLIENT_MODULES = ("botocore.client", "awscli.botocore.client")
_CODECOMMIT_MODULE = "awscli.customizations.codecommit"
_TARGETS = _CLIENT_MODULES + (_CODECOMMIT_MODULE,)
_PATCHED = "_hakobu_endpoint_env_patched"


def _env_var_name(service_id):
    return "AWS_ENDPOINT_URL_" + service_id.replace(" ", "_").replace("-", "_").upper()


def _is_true(value):
    return str(value).strip().lower() == "true"


def configured_endpoint(service_id, scoped_config=None, environ=None):
    """The endpoint the configuration names for service_id, or None."""
    env = os.environ if environ is None else environ
    profile = scoped_config or {}
    if _is_true(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")):
        return None
    if "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" not in env and _is_true(
            profile.get("ignore_configured_endpoint_urls", "")):
        return None
    for value in (env.get(_env_var_name(service_id)), env.get("AWS_ENDPOINT_URL"),
                  profile.get("endpoint_url")):
        if value:
            return value
    return None


def _service_id(creator, service_name):
    try:
        model = creator._loader.load_service_model(service_name, "service-2")
        return model.get("metadata", {}).get("serviceId") or service_name
    except Exception:  # an unknown name fails later in create_client itself
        return service_name


def _has_native_support(package):
    config_provider = sys.modules.get(package + ".configprovider")
    if config_provider is None:
        return False
    variables = getattr(config_provider, "BOTOCORE_DEFAUT_SESSION_VARIABLES", {})
    return "ignore_configured_endpoint_urls" in variables


def _patch(module):
    if module.__name__ == _CODECOMMIT_MODULE:
        _patch_credential_helper(module)
    else:
        _patch_client_creator(module)


def _is_configured_codecommit_host(git_host):
    endpoint = configured_endpoint("CodeCommit")
    return bool(endpoint and git_host) and urllib.parse.urlsplit(endpoint).netloc == git_host


def _patch_credential_helper(module):
    command = getattr(module, "CodeCommitGetCommand", None)
    if command is None or getattr(command, _PATCHED, False):
        return
    original = command._run_main

    def _run_main(self, args, parsed_globals):
        read = self.read_git_parameters

        def read_git_parameters():
            parameters = read()
            if _is_configured_codecommit_host(parameters.get("host", "")):
                args.ignore_host_check = True
            return parameters

        self.read_git_parameters = read_git_parameters
        return original(self, args, parsed_globals)

    command._run_main = _run_main
    setattr(command, _PATCHED, True)


def _patch_client_creator(client_module):
    creator = getattr(client_module, "ClientCreator", None)
    if creator is None or getattr(creator, _PATCHED, False):
        return
    package = client_module.__name__.rsplit(".", 1)[0]
    if _has_native_support(package):
        return
    original = creator.create_client
    signature = inspect.signature(original)

    def create_client(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        if bound.arguments.get("endpoint_url") is None:
            service_id = _service_id(self, bound.arguments["service_name"])
            endpoint = configured_endpoint(service_id, bound.arguments.get("scoped_config"))
            if endpoint:
                bound.arguments["endpoint_url"] = endpoint
        return original(*bound.args, **bound.kwargs)

    create_client.__doc__ = original.__doc__
    creator.create_client = create_client
    setattr(creator, _PATCHED, True)


class _Loader:
    def __init__(self, inner):
        self._inner = inner

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        _patch(module)


class _Finder:
    """Finds the botocore client modules through the normal path finder, then wraps their loader."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname not in _TARGETS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)
        return spec


def install():
    if not any(isinstance(f, _Finder) or f is _Finder for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder)
    for name in _TARGETS:  # already imported (e.g. this module loaded late)
        if name in sys.modules:
            _patch(sys.modules[name])
