#include "services/iam/model/managed_policies.h"

#include <array>
#include <string>

namespace iam {
namespace {

// ReadOnlyAccess and PowerUserAccess are condensed: AWS's documents list every service.
constexpr std::array<AwsManagedPolicy, 9> kPolicies = {{
    {"AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "Provides full access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"PowerUserAccess", "/", "ANPAJYRXTHIB4FOVS3ZXS",
     "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]})"},
    {"ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "Provides read-only access to AWS services and resources.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*:Describe*","*:Get*","*:List*","*:BatchGet*","*:Head*"],"Resource":"*"}]})"},
    {"IAMFullAccess", "/", "ANPAI7XKCFMBPM3QQRRVQ", "Provides full access to IAM via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]})"},
    {"IAMReadOnlyAccess", "/", "ANPAJKSO7NDY4T57MWDSQ",
     "Provides read only access to IAM via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]})"},
    {"AmazonSSMFullAccess", "/", "ANPAJA7V6HI4ISQFMDYAG", "Provides full access to Amazon SSM.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudwatch:PutMetricData","ds:CreateComputer","ds:DescribeDirectories","ec2:DescribeInstanceStatus","logs:*","ssm:*","ec2messages:*"],"Resource":"*"}]})"},
    {"AmazonSSMReadOnlyAccess", "/", "ANPAJODSKQGGJTHRYZ5FC", "Provides read only access to Amazon SSM.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]})"},
    {"AmazonS3FullAccess", "/", "ANPAIFIR6V6BVTRAHWINE",
     "Provides full access to all buckets via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]})"},
    {"AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M",
     "Provides read only access to all buckets via the AWS Management Console.",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]})"},
}};

}  // namespace

std::span<const AwsManagedPolicy> aws_managed_policies() { return kPolicies; }

const AwsManagedPolicy* find_aws_managed_policy(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::aws:policy";
  if (!arn.starts_with(kPrefix)) {
    return nullptr;
  }
  std::string_view rest = arn.substr(kPrefix.size());
  for (const auto& policy : kPolicies) {
    if (rest.size() == policy.path.size() + policy.name.size() && rest.starts_with(policy.path) &&
        rest.ends_with(policy.name)) {
      return &policy;
    }
  }
  return nullptr;
}

}  // namespace iam
