"""CodeBuild test reports: report groups and reports (API), and the reports a buildspec's
`reports:` section makes from JUnit XML after POST_BUILD (pytest --junitxml in a real build)."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import spec, uid

PYTEST_FILE = (
    "import pytest\n\n"
    "def test_ok():\n    assert True\n\n"
    "def test_bad():\n    assert 1 == 2\n\n"
    "@pytest.mark.skip(reason='later')\ndef test_later():\n    pass\n")
PASSING_FILE = "def test_one():\n    assert True\n\ndef test_two():\n    assert True\n"


def write_tests(text):
    # printf reads the escapes: the buildspec carries the file as one line.
    return "mkdir -p tests reports && printf '%b' " + json.dumps(text.replace("\n", "\\n")) + " > tests/test_app.py"


def reports_spec(tests_text, extra_reports=""):
    reports = ("reports:\n"
               "  unit:\n"
               "    files:\n      - junit.xml\n"
               "    base-directory: reports\n" + extra_reports)
    return spec(write_tests(tests_text), "python3 -m pytest tests --junitxml=reports/junit.xml -q",
                extra=reports)


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def region_account(build):
    parts = build["arn"].split(":")
    return parts[3], parts[4]


def test_build_publishes_junit_reports(cbx):
    cb = cbx.cb
    existing = cb.create_report_group(name=uid("grp"), type="TEST",
                                      exportConfig={"exportConfigType": "NO_EXPORT"})["reportGroup"]
    extra = (f"  {existing['arn']}:\n    files:\n      - reports/junit.xml\n"
             "  cucumber:\n    files:\n      - reports/junit.xml\n    file-format: CUCUMBERJSON\n"
             "  nothing:\n    files:\n      - no-such-dir/*.xml\n")
    project = cbx.project(buildspec=reports_spec(PYTEST_FILE, extra))
    build = cbx.run(project)
    # The failing test fails BUILD (pytest exits 1); the reports are made all the same.
    assert build["buildStatus"] == "FAILED"
    region, account = region_account(build)
    uuid = build["id"].split(":", 1)[1]
    unit_group = f"arn:aws:codebuild:{region}:{account}:report-group/{project}-unit"
    unit_arn = f"arn:aws:codebuild:{region}:{account}:report/{project}-unit:{uuid}"
    by_arn = f"arn:aws:codebuild:{region}:{account}:report/{existing['name']}:{uuid}"
    cucumber_arn = f"arn:aws:codebuild:{region}:{account}:report/{project}-cucumber:{uuid}"
    # The entry whose files match nothing makes no report.
    assert build["reportArns"] == [unit_arn, by_arn, cucumber_arn]

    got = cb.batch_get_reports(reportArns=build["reportArns"] + [unit_arn + "x"])
    assert got["reportsNotFound"] == [unit_arn + "x"]
    reports = {r["arn"]: r for r in got["reports"]}
    unit = reports[unit_arn]
    assert unit["status"] == "FAILED"
    assert unit["type"] == "TEST"
    assert unit["reportGroupArn"] == unit_group
    assert unit["executionId"] == build["arn"]
    assert unit["expired"] > unit["created"]
    summary = unit["testSummary"]
    assert summary["total"] == 3
    assert summary["statusCounts"]["SUCCEEDED"] == 1
    assert summary["statusCounts"]["FAILED"] == 1
    assert summary["statusCounts"]["SKIPPED"] == 1
    assert summary["statusCounts"]["ERROR"] == 0
    assert summary["durationInNanoSeconds"] >= 0
    assert reports[by_arn]["reportGroupArn"] == existing["arn"]
    assert reports[by_arn]["testSummary"]["total"] == 3
    assert reports[cucumber_arn]["status"] == "INCOMPLETE"

    cases = cb.describe_test_cases(reportArn=unit_arn)["testCases"]
    assert sorted(c["name"] for c in cases) == ["test_bad", "test_later", "test_ok"]
    failed = cb.describe_test_cases(reportArn=unit_arn, filter={"status": "FAILED"})["testCases"]
    assert [c["name"] for c in failed] == ["test_bad"]
    assert failed[0]["status"] == "FAILED"
    assert "assert 1 == 2" in failed[0]["message"]
    assert failed[0]["reportArn"] == unit_arn
    assert failed[0]["prefix"].endswith("test_app")
    assert failed[0]["testRawDataPath"] == "junit.xml"
    skipped = cb.describe_test_cases(reportArn=unit_arn, filter={"status": "SKIPPED"})["testCases"]
    assert [c["name"] for c in skipped] == ["test_later"]
    assert cb.describe_test_cases(reportArn=unit_arn, filter={"keyword": "ok"})["testCases"][0]["name"] == "test_ok"
    page = cb.describe_test_cases(reportArn=unit_arn, maxResults=2)
    rest = cb.describe_test_cases(reportArn=unit_arn, maxResults=2, nextToken=page["nextToken"])
    assert len(page["testCases"]) == 2 and len(rest["testCases"]) == 1 and "nextToken" not in rest

    # The group made for the buildspec's name: TEST, no export.
    groups = cb.batch_get_report_groups(reportGroupArns=[unit_group])["reportGroups"]
    assert groups[0]["name"] == f"{project}-unit"
    assert groups[0]["type"] == "TEST"
    assert groups[0]["exportConfig"]["exportConfigType"] == "NO_EXPORT"
    assert unit_group in cb.list_report_groups()["reportGroups"]

    log = cbx.log(build)
    assert "not supported" in log

    # A second build (all passing): the same group, newest report first.
    second = cbx.run(project, buildspecOverride=reports_spec(PASSING_FILE))
    assert second["buildStatus"] == "SUCCEEDED"
    second_arn = second["reportArns"][0]
    assert second_arn.startswith(f"arn:aws:codebuild:{region}:{account}:report/{project}-unit:")
    listed = cb.list_reports_for_report_group(reportGroupArn=unit_group)["reports"]
    assert listed == [second_arn, unit_arn]
    assert cb.list_reports_for_report_group(reportGroupArn=unit_group, sortOrder="ASCENDING")["reports"] == [
        unit_arn, second_arn]
    assert cb.list_reports_for_report_group(reportGroupArn=unit_group, filter={"status": "FAILED"})["reports"] == [
        unit_arn]
    assert cb.batch_get_reports(reportArns=[second_arn])["reports"][0]["status"] == "SUCCEEDED"
    assert unit_arn in cb.list_reports(filter={"status": "FAILED"})["reports"]
    assert second_arn not in cb.list_reports(filter={"status": "FAILED"})["reports"]

    trend = cb.get_report_group_trend(reportGroupArn=unit_group, trendField="TOTAL")
    assert [d["data"] for d in trend["rawData"]] == ["2", "3"]
    assert trend["stats"] == {"average": "2.5", "max": "3", "min": "2"}
    rate = cb.get_report_group_trend(reportGroupArn=unit_group, trendField="PASS_RATE", numOfReports=1)
    assert rate["rawData"] == [{"reportArn": second_arn, "data": "100"}]

    # A group with reports is deleted only with its reports.
    with pytest.raises(ClientError) as e:
        cb.delete_report_group(arn=unit_group)
    assert error_code(e) == "InvalidInputException"
    cb.delete_report(arn=second_arn)
    assert cb.batch_get_reports(reportArns=[second_arn])["reportsNotFound"] == [second_arn]
    cb.delete_report_group(arn=unit_group, deleteReports=True)
    assert cb.batch_get_report_groups(reportGroupArns=[unit_group])["reportGroupsNotFound"] == [unit_group]
    with pytest.raises(ClientError) as e:
        cb.describe_test_cases(reportArn=unit_arn)
    assert error_code(e) == "ResourceNotFoundException"
    # The build still lists what it made.
    assert cbx.get(build["id"])["reportArns"] == [unit_arn, by_arn, cucumber_arn]


def test_report_group_crud_and_errors(cbx):
    cb = cbx.cb
    name = uid("grp")
    made = cb.create_report_group(name=name, type="TEST", exportConfig={"exportConfigType": "NO_EXPORT"},
                                  tags=[{"key": "team", "value": "a"}])["reportGroup"]
    assert made["name"] == name
    assert made["type"] == "TEST"
    assert made["status"] == "ACTIVE"
    assert made["arn"].endswith(f":report-group/{name}")
    assert made["tags"] == [{"key": "team", "value": "a"}]
    arn = made["arn"]
    with pytest.raises(ClientError) as e:
        cb.create_report_group(name=name, type="TEST", exportConfig={"exportConfigType": "NO_EXPORT"})
    assert error_code(e) == "ResourceAlreadyExistsException"
    with pytest.raises(ClientError) as e:
        cb.create_report_group(name=uid("grp"), type="TEST", exportConfig={"exportConfigType": "S3"})
    assert error_code(e) == "InvalidInputException"
    with pytest.raises(ClientError) as e:
        cb.create_report_group(name=uid("grp"), type="NOPE", exportConfig={"exportConfigType": "NO_EXPORT"})
    assert error_code(e) == "InvalidInputException"

    bucket = cbx.bucket()
    updated = cb.update_report_group(arn=arn, exportConfig={
        "exportConfigType": "S3", "s3Destination": {"bucket": bucket, "packaging": "ZIP"}})["reportGroup"]
    assert updated["exportConfig"]["s3Destination"]["bucket"] == bucket
    assert updated["tags"] == [{"key": "team", "value": "a"}]
    assert updated["lastModified"] >= made["lastModified"]

    missing = arn + "-missing"
    got = cb.batch_get_report_groups(reportGroupArns=[arn, missing])
    assert [g["arn"] for g in got["reportGroups"]] == [arn]
    assert got["reportGroupsNotFound"] == [missing]
    with pytest.raises(ClientError) as e:
        cb.update_report_group(arn=missing, tags=[])
    assert error_code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        cb.update_report_group(arn="not-an-arn", tags=[])
    assert error_code(e) == "InvalidInputException"
    with pytest.raises(ClientError) as e:
        cb.list_reports_for_report_group(reportGroupArn=missing)
    assert error_code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        cb.describe_test_cases(reportArn=arn.replace("report-group/", "report/") + ":nope")
    assert error_code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        cb.describe_test_cases(reportArn=arn.replace("report-group/", "report/") + ":nope",
                               filter={"status": "BROKEN"})
    assert error_code(e) == "InvalidInputException"
    assert cb.get_report_group_trend(reportGroupArn=arn, trendField="PASS_RATE")["rawData"] == []

    # Listing: sorted by name, paged by maxResults.
    names = sorted([uid("lst") for _ in range(3)])
    for n in names:
        cb.create_report_group(name=n, type="TEST", exportConfig={"exportConfigType": "NO_EXPORT"})
    listed = []
    token = None
    while True:
        kw = {"sortBy": "NAME", "sortOrder": "ASCENDING", "maxResults": 2}
        if token:
            kw["nextToken"] = token
        page = cb.list_report_groups(**kw)
        assert len(page["reportGroups"]) <= 2
        listed += page["reportGroups"]
        token = page.get("nextToken")
        if not token:
            break
    mine = [a.rsplit("/", 1)[1] for a in listed if a.rsplit("/", 1)[1] in names]
    assert mine == names
    assert listed == sorted(listed)

    cb.delete_report_group(arn=arn)
    assert cb.batch_get_report_groups(reportGroupArns=[arn])["reportGroupsNotFound"] == [arn]
    with pytest.raises(ClientError) as e:
        cb.delete_report_group(arn="bogus")
    assert error_code(e) == "InvalidInputException"
