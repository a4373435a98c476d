#include "services/codebuild/engine/migrations.h"

namespace codebuild {

// Times are REAL epoch seconds. doc columns hold the wire documents (Project, Build) as JSON;
// the other columns are what lookups, listings and the runner seam filter and sort on.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE codebuild_projects (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created REAL NOT NULL,
  modified REAL NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account, region, name)
) WITHOUT ROWID;
-- The last buildNumber handed out per project name (kept when the project is deleted).
CREATE TABLE codebuild_build_numbers (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  project TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (account, region, project)
) WITHOUT ROWID;
CREATE TABLE codebuild_builds (
  seq INTEGER PRIMARY KEY,  -- start order
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  id TEXT NOT NULL,
  project TEXT NOT NULL,
  status TEXT NOT NULL,      -- buildStatus
  claimed INTEGER NOT NULL,  -- a runner claimed it (left QUEUED)
  stop_requested INTEGER NOT NULL,
  doc TEXT NOT NULL,
  UNIQUE (account, region, id)
);
CREATE INDEX codebuild_builds_by_project ON codebuild_builds (account, region, project);
CREATE INDEX codebuild_builds_by_status ON codebuild_builds (status);
CREATE TABLE codebuild_idempotency (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  token TEXT NOT NULL,
  request TEXT NOT NULL,
  build_id TEXT NOT NULL,
  created REAL NOT NULL,
  PRIMARY KEY (account, region, token)
) WITHOUT ROWID;
)sql"},
      // Test reports (engine/reports.h): report groups as their wire document, reports as theirs,
      // one row per test case (DescribeTestCases filters on status, name and prefix).
      {2, R"sql(
CREATE TABLE codebuild_report_groups (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created REAL NOT NULL,
  modified REAL NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account, region, name)
) WITHOUT ROWID;
CREATE TABLE codebuild_reports (
  seq INTEGER PRIMARY KEY,  -- creation order
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  group_name TEXT NOT NULL,
  status TEXT NOT NULL,
  created REAL NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX codebuild_reports_by_group ON codebuild_reports (account, region, group_name);
CREATE TABLE codebuild_test_cases (
  report_seq INTEGER NOT NULL,
  n INTEGER NOT NULL,  -- order in the report
  status TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (report_seq, n)
) WITHOUT ROWID;
)sql"},
  };
  return kMigrations;
}

}  // namespace codebuild
