"""Builds that really run in the aws/codebuild/standard:7.0 container: AWS's phase walk and its
statuses, failures in each phase and their contexts, on-failure and finally, shell state across
commands and phases, environment variables and their precedence, CODEBUILD_* variables,
exported variables, Parameter Store values (masked), buildspec errors and overrides, env.shell,
the aws CLI inside the build reaching hakobu as the service role, and the CloudWatch Logs stream."""
import json
import re
import time

from conftest import ACCOUNT, marked, phase_types, phases, spec, uid

ALL_PHASES = ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD",
              "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"]
ENDED_EARLY = ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "FINALIZING",
               "COMPLETED"]


def context(phase):
    assert len(phase.get("contexts", [])) >= 1, phase
    return phase["contexts"][0]["statusCode"], phase["contexts"][0]["message"]


def test_successful_build_walks_every_phase(cbx):
    started = time.time()
    project = cbx.project(buildspec=spec("echo hello-build"))
    build = cbx.start(project)
    assert build["buildStatus"] == "IN_PROGRESS" and build["buildComplete"] is False
    build = cbx.wait(build["id"])
    assert build["buildStatus"] == "SUCCEEDED"
    assert build["buildComplete"] is True
    assert build["currentPhase"] == "COMPLETED"
    assert phase_types(build) == ALL_PHASES
    for p in build["phases"][:-1]:
        assert p["phaseStatus"] == "SUCCEEDED", p
        assert p["startTime"] <= p["endTime"], p
        assert "durationInSeconds" in p, p
    completed = build["phases"][-1]
    assert "phaseStatus" not in completed and "endTime" not in completed
    # The phases follow each other: each starts when the previous one ended.
    for before, after in zip(build["phases"][1:-1], build["phases"][2:]):
        assert before["endTime"] <= after["startTime"], (before, after)
    assert build["startTime"] <= build["endTime"]
    assert build["endTime"].timestamp() >= started - 5
    assert "hello-build" in cbx.log(build)


def test_install_failure_ends_the_build(cbx):
    build = cbx.run_spec(spec("echo build-ran", install=["echo in-install", "exit 3", "echo after-exit"],
                              post_build=["echo post-ran"]))
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ENDED_EARLY[:5] + ["FINALIZING", "COMPLETED"]
    p = phases(build)
    assert p["INSTALL"]["phaseStatus"] == "FAILED"
    assert context(p["INSTALL"]) == ("COMMAND_EXECUTION_ERROR",
                                     "Error while executing command: exit 3. Reason: exit status 3")
    assert p["FINALIZING"]["phaseStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "in-install" in log
    for line in ("after-exit", "build-ran", "post-ran"):
        assert "\n" + line not in log, line


def test_pre_build_failure_goes_to_finalizing(cbx):
    build = cbx.run_spec(spec("echo build-ran", pre_build=["false"], post_build=["echo post-ran"]))
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ENDED_EARLY
    p = phases(build)
    assert p["INSTALL"]["phaseStatus"] == "SUCCEEDED"
    assert p["PRE_BUILD"]["phaseStatus"] == "FAILED"
    assert context(p["PRE_BUILD"]) == ("COMMAND_EXECUTION_ERROR",
                                       "Error while executing command: false. Reason: exit status 1")
    log = cbx.log(build)
    assert "\nbuild-ran" not in log and "\npost-ran" not in log
    assert "Phase complete: PRE_BUILD State: FAILED" in log
    assert ("Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: false. "
            "Reason: exit status 1") in log


def test_build_failure_still_runs_post_build_and_uploads_artifacts(cbx):
    bucket = cbx.bucket()
    body = ("version: 0.2\nphases:\n  build:\n    commands:\n      - echo made > out.txt\n      - exit 7\n"
            "      - echo skipped-command\n  post_build:\n    commands:\n"
            "      - echo succeeding=$CODEBUILD_BUILD_SUCCEEDING\nartifacts:\n  files: [out.txt]\n")
    project = cbx.project(buildspec=body, artifacts={"type": "S3", "location": bucket, "name": "out.zip",
                                                      "packaging": "ZIP"})
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ALL_PHASES
    p = phases(build)
    assert p["BUILD"]["phaseStatus"] == "FAILED"
    assert context(p["BUILD"]) == ("COMMAND_EXECUTION_ERROR",
                                   "Error while executing command: exit 7. Reason: exit status 7")
    assert p["POST_BUILD"]["phaseStatus"] == "SUCCEEDED"
    assert p["UPLOAD_ARTIFACTS"]["phaseStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "succeeding=0" in log
    assert "\nskipped-command" not in log
    assert cbx.s3.head_object(Bucket=bucket, Key="out.zip")["ContentLength"] > 0
    assert build["artifacts"]["location"] == f"arn:aws:s3:::{bucket}/out.zip"


def test_post_build_failure_fails_the_build(cbx):
    build = cbx.run_spec(spec("echo ok", post_build=["echo before", "sh -c 'exit 4'"]))
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ALL_PHASES
    p = phases(build)
    assert p["BUILD"]["phaseStatus"] == "SUCCEEDED"
    assert p["POST_BUILD"]["phaseStatus"] == "FAILED"
    assert context(p["POST_BUILD"]) == (
        "COMMAND_EXECUTION_ERROR", "Error while executing command: sh -c 'exit 4'. Reason: exit status 4")


def test_succeeding_variable_is_one_while_nothing_failed(cbx):
    build = cbx.run_spec(spec("echo S=$CODEBUILD_BUILD_SUCCEEDING", post_build=["echo P=$CODEBUILD_BUILD_SUCCEEDING"]))
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "\nS=1" in log and "\nP=1" in log


def test_on_failure_continue_runs_the_next_phase(cbx):
    body = ("version: 0.2\nphases:\n  pre_build:\n    on-failure: CONTINUE\n    commands:\n      - exit 2\n"
            "  build:\n    commands:\n      - echo build-after-continue\n")
    build = cbx.run_spec(body)
    p = phases(build)
    assert p["PRE_BUILD"]["phaseStatus"] == "FAILED"
    assert p["BUILD"]["phaseStatus"] == "SUCCEEDED"
    assert "POST_BUILD" in p
    assert "\nbuild-after-continue" in cbx.log(build)
    assert build["buildStatus"] == "FAILED"


def test_on_failure_abort_in_build_skips_post_build(cbx):
    body = ("version: 0.2\nphases:\n  build:\n    on-failure: ABORT\n    commands:\n      - exit 2\n"
            "  post_build:\n    commands:\n      - echo post-after-abort\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "FAILED"
    assert "POST_BUILD" not in phases(build)
    assert "\npost-after-abort" not in cbx.log(build)


def test_finally_runs_after_a_failure(cbx):
    body = ("version: 0.2\nphases:\n  build:\n    commands:\n      - echo first\n      - exit 5\n"
            "      - echo not-reached\n    finally:\n      - echo finally-ran\n      - echo finally-two\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "FAILED"
    p = phases(build)
    assert context(p["BUILD"]) == ("COMMAND_EXECUTION_ERROR",
                                   "Error while executing command: exit 5. Reason: exit status 5")
    log = cbx.log(build)
    assert "\nfinally-ran" in log and "\nfinally-two" in log
    assert "\nnot-reached" not in log
    assert log.index("\nfirst") < log.index("\nfinally-ran")


def test_shell_state_carries_across_commands_and_phases(cbx):
    body = spec("echo B:PWD=$(pwd)", "echo B:EXPORTED=$EXPORTED", "echo B:PLAIN=$PLAIN",
                "sh -c 'echo B:CHILD_EXPORTED=$EXPORTED'",
                install=["mkdir -p deep/er", "cd deep"],
                pre_build=["export EXPORTED=exp-value", "PLAIN=plain-value", "cd er"],
                post_build=["echo P:PWD=$(pwd)", "echo P:PLAIN=$PLAIN", "cd /tmp", "echo P:NEXT=$(pwd)"])
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    b, p = marked(log, "B"), marked(log, "P")
    assert re.fullmatch(r"/codebuild/output/src\d+/src/deep/er", b["PWD"]), b
    assert b["EXPORTED"] == "exp-value" and b["CHILD_EXPORTED"] == "exp-value"
    assert b["PLAIN"] == "plain-value"
    assert p["PWD"] == b["PWD"] and p["PLAIN"] == "plain-value" and p["NEXT"] == "/tmp"


def test_multi_line_command_is_one_command(cbx):
    body = ("version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        false\n        echo M:LAST=ran\n"
            "      - echo M:AFTER=yes\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "SUCCEEDED"
    m = marked(cbx.log(build), "M")
    assert m == {"LAST": "ran", "AFTER": "yes"}


def test_variable_precedence(cbx):
    body = ("version: 0.2\nenv:\n  variables:\n    FROM_SPEC: spec\n    IN_PROJECT: spec\n    OVERRIDDEN: spec\n"
            "    LITERAL: $HOME/x\nphases:\n  build:\n    commands:\n"
            "      - echo V:FROM_SPEC=$FROM_SPEC\n      - echo V:IN_PROJECT=$IN_PROJECT\n"
            "      - echo V:OVERRIDDEN=$OVERRIDDEN\n      - echo V:PROJECT_ONLY=$PROJECT_ONLY\n"
            "      - echo V:LITERAL=$LITERAL\n")
    project = cbx.project(buildspec=body, env=[
        {"name": "IN_PROJECT", "value": "project", "type": "PLAINTEXT"},
        {"name": "OVERRIDDEN", "value": "project", "type": "PLAINTEXT"},
        {"name": "PROJECT_ONLY", "value": "p only", "type": "PLAINTEXT"}])
    build = cbx.run(project, environmentVariablesOverride=[{"name": "OVERRIDDEN", "value": "override",
                                                            "type": "PLAINTEXT"}])
    assert build["buildStatus"] == "SUCCEEDED"
    v = marked(cbx.log(build), "V")
    assert v == {"FROM_SPEC": "spec", "IN_PROJECT": "project", "OVERRIDDEN": "override", "PROJECT_ONLY": "p only",
                 "LITERAL": "$HOME/x"}


def test_codebuild_variables(cbx):
    cmds = [f"echo C:{n}=${n}" for n in ("CODEBUILD_BUILD_ID", "CODEBUILD_BUILD_NUMBER", "CODEBUILD_SRC_DIR",
                                          "CODEBUILD_SOURCE_VERSION", "CODEBUILD_LOG_PATH", "CODEBUILD_INITIATOR",
                                          "CODEBUILD_START_TIME", "CODEBUILD_BUILD_ARN", "CODEBUILD_BUILD_IMAGE",
                                          "AWS_REGION", "AWS_DEFAULT_REGION", "HOME")]
    cmds.append("echo C:PWD=$(pwd)")
    cmds.append("echo C:RESOLVED=${CODEBUILD_RESOLVED_SOURCE_VERSION-unset}")
    project = cbx.project(buildspec=spec(*cmds))
    first = cbx.run(project)
    build = cbx.run(project)
    c = marked(cbx.log(build), "C")
    assert c["CODEBUILD_BUILD_ID"] == build["id"]
    assert c["CODEBUILD_BUILD_ARN"] == build["arn"]
    assert c["CODEBUILD_BUILD_NUMBER"] == "2" and first["buildNumber"] == 1 and build["buildNumber"] == 2
    assert re.fullmatch(r"/codebuild/output/src\d+/src", c["CODEBUILD_SRC_DIR"]), c
    assert c["PWD"] == c["CODEBUILD_SRC_DIR"]
    assert c["CODEBUILD_SOURCE_VERSION"] == ""
    assert c["CODEBUILD_LOG_PATH"] == build["logs"]["streamName"] == build["id"].split(":")[1]
    assert c["CODEBUILD_INITIATOR"] == build["initiator"] == "root"
    assert int(c["CODEBUILD_START_TIME"]) == int(build["startTime"].timestamp() * 1000)
    assert c["CODEBUILD_BUILD_IMAGE"] == "aws/codebuild/standard:7.0"
    assert c["AWS_REGION"] == c["AWS_DEFAULT_REGION"] == "us-east-1"
    assert c["HOME"] == "/root"
    assert c["RESOLVED"] == "unset"


def test_exported_variables(cbx):
    body = ("version: 0.2\nenv:\n  variables:\n    FROM_ENV: env-value\n  exported-variables:\n    - IMAGE_TAG\n"
            "    - FROM_ENV\n    - CHANGED_LATE\nphases:\n  pre_build:\n    commands:\n"
            "      - IMAGE_TAG=tag-$CODEBUILD_BUILD_NUMBER\n  build:\n    commands:\n      - export CHANGED_LATE=early\n"
            "  post_build:\n    commands:\n      - CHANGED_LATE=final\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "SUCCEEDED"
    exported = {v["name"]: v["value"] for v in build["exportedEnvironmentVariables"]}
    assert exported == {"IMAGE_TAG": "tag-1", "FROM_ENV": "env-value", "CHANGED_LATE": "final"}


def test_parameter_store_values_are_read_and_masked(cbx):
    plain, secure = uid("/cb/plain"), uid("/cb/secure")
    cbx.ssm.put_parameter(Name=plain, Value="plain-param-value-123", Type="String")
    cbx.ssm.put_parameter(Name=secure, Value="s3cr3t-Value-xyz", Type="SecureString")
    body = (f"version: 0.2\nenv:\n  parameter-store:\n    PLAIN_P: {plain}\n    SECURE_P: {secure}\nphases:\n"
            "  build:\n    commands:\n      - echo got $PLAIN_P and $SECURE_P\n"
            "      - test \"$SECURE_P\" = s3cr3t-Value-xyz && echo secure-matches\n"
            "      - test \"$PLAIN_P\" = plain-param-value-123 && echo plain-matches\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "secure-matches" in log and "plain-matches" in log
    assert "s3cr3t-Value-xyz" not in log and "plain-param-value-123" not in log
    assert "got *** and ***" in log


def test_project_parameter_store_variable(cbx):
    name = uid("/cb/proj")
    cbx.ssm.put_parameter(Name=name, Value="project-secret-777", Type="SecureString")
    project = cbx.project(buildspec=spec("echo value=$FROM_SSM", "test \"$FROM_SSM\" = project-secret-777"),
                          env=[{"name": "FROM_SSM", "value": name, "type": "PARAMETER_STORE"}])
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "value=***" in log and "project-secret-777" not in log


def test_missing_parameter_fails_download_source(cbx):
    missing = uid("/cb/missing")
    body = f"version: 0.2\nenv:\n  parameter-store:\n    NOPE: {missing}\nphases:\n  build:\n    commands: [echo x]\n"
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "FINALIZING",
                                  "COMPLETED"]
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED"
    # As AWS logs it (e.g. cloudposse/terraform-aws-cicd#107).
    assert context(p) == ("Decrypted Variables Error", f"parameter does not exist: {missing}")
    assert ("Phase context status code: Decrypted Variables Error Message: parameter does not exist: "
            f"{missing}") in cbx.log(build)


def test_bad_buildspec_is_yaml_file_error(cbx):
    body = "version: 0.2\nphases:\n  postbuild:\n    commands:\n      - echo x\n"
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "FAILED"
    p = phases(build)
    assert p["DOWNLOAD_SOURCE"]["phaseStatus"] == "FAILED"
    code, message = context(p["DOWNLOAD_SOURCE"])
    assert code == "YAML_FILE_ERROR"
    assert message == "Invalid buildspec phase name: POSTBUILD. Expecting: BUILD,INSTALL,POST_BUILD,PRE_BUILD"
    assert "INSTALL" not in p and "FINALIZING" in p
    assert "Phase complete: DOWNLOAD_SOURCE State: FAILED" in cbx.log(build)


def test_buildspec_override(cbx):
    project = cbx.project(buildspec=spec("echo from-project"))
    build = cbx.run(project, buildspecOverride=spec("echo from-override"))
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "\nfrom-override" in log and "\nfrom-project" not in log


def test_env_shell_bash_and_default_sh(cbx):
    check = ['echo SH:BASH=${BASH_VERSION:+yes}', 'echo SH:ARG0=$0']
    bash = cbx.run_spec(spec(*check, "[[ a == a ]] && echo SH:DOUBLE=ok", extra="env:\n  shell: bash"))
    assert bash["buildStatus"] == "SUCCEEDED"
    m = marked(cbx.log(bash), "SH")
    assert m["BASH"] == "yes" and m["DOUBLE"] == "ok"
    default = cbx.run_spec(spec(*check))
    assert default["buildStatus"] == "SUCCEEDED"
    assert marked(cbx.log(default), "SH")["BASH"] == ""


def test_aws_cli_inside_the_build_reaches_hakobu_as_the_role(cbx):
    name = uid("/cb/cli")
    cbx.ssm.put_parameter(Name=name, Value="visible-through-cli", Type="String")
    role_name = uid("clirole")
    role = cbx.role(name=role_name)
    body = spec(f"echo A:PARAM=$(aws ssm get-parameter --name {name} --query Parameter.Value --output text)",
                "echo A:ARN=$(aws sts get-caller-identity --query Arn --output text)",
                "aws s3api list-buckets --query 'length(Buckets)' > /dev/null && echo A:S3=ok")
    build = cbx.run(cbx.project(buildspec=body, role=role))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    a = marked(cbx.log(build), "A")
    uuid = build["id"].split(":")[1]
    assert a["PARAM"] == "visible-through-cli"
    assert a["ARN"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role_name}/AWSCodeBuild-{uuid}"
    assert a["S3"] == "ok"


def test_the_role_policy_applies_inside_the_build(cbx):
    name = uid("/cb/denied")
    cbx.ssm.put_parameter(Name=name, Value="v", Type="String")
    role = cbx.role(statements=[{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}])
    build = cbx.run(cbx.project(buildspec=spec(f"aws ssm get-parameter --name {name}"), role=role))
    assert build["buildStatus"] == "FAILED"
    assert "AccessDeniedException" in cbx.log(build)


def test_log_stream_in_cloudwatch_logs(cbx):
    project = cbx.project(buildspec=spec("echo line-one", "echo to-stderr >&2", "exit 9"))
    build = cbx.run(project)
    uuid = build["id"].split(":")[1]
    assert build["logs"]["groupName"] == f"/aws/codebuild/{project}"
    assert build["logs"]["streamName"] == uuid
    streams = cbx.logs.describe_log_streams(logGroupName=f"/aws/codebuild/{project}")["logStreams"]
    assert [s["logStreamName"] for s in streams] == [uuid]
    log = cbx.log(build)
    for expected in ("Entering phase BUILD", "Running command echo line-one", "line-one", "to-stderr",
                     "Command did not exit successfully exit 9 exit status 9", "Phase complete: BUILD State: FAILED",
                     "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: "
                     "exit 9. Reason: exit status 9"):
        assert expected in log, expected
    agent = [line for line in log.splitlines() if line.startswith("[Container] ")]
    assert agent and all(re.match(r"\[Container\] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6} ", line) for line in agent)
    # The stream's order is the build's order.
    assert log.index("Entering phase INSTALL") < log.index("line-one") < log.index("Entering phase POST_BUILD")
    tail = cbx.aws("logs", "tail", f"/aws/codebuild/{project}", "--since", "1h", v2=True)
    assert tail.returncode == 0, tail
    assert "line-one" in tail.stdout and uuid in tail.stdout, tail.stdout


def test_log_masks_the_role_keys(cbx):
    build = cbx.run_spec(spec("echo K:ID=$AWS_ACCESS_KEY_ID", "echo K:LEN=${#AWS_ACCESS_KEY_ID}"))
    k = marked(cbx.log(build), "K")
    assert k["ID"] == "***" and int(k["LEN"]) >= 16


def test_output_that_is_not_utf8_does_not_break_the_log(cbx):
    build = cbx.run_spec(spec("printf 'bad \\377\\376 bytes\\n'", "printf 'caf\\303\\251 ok\\n'", "echo after-bad"))
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "bytes" in log and "café ok" in log and "after-bad" in log
    assert cbx.get(build["id"])["buildComplete"] is True  # hakobu still answers


def test_large_output_reaches_the_log_whole(cbx):
    build = cbx.run_spec(spec("seq 1 60000", "python3 -c 'print(300000 * chr(120))'", "echo last-line"))
    assert build["buildStatus"] == "SUCCEEDED"
    events = cbx.log_events(build)
    text = "\n".join(e["message"].rstrip("\n") for e in events)
    lines = text.splitlines()
    numbers = [line for line in lines if line.isdigit()]
    assert numbers == [str(i) for i in range(1, 60001)]
    assert sum(len(line) for line in lines if set(line) == {"x"}) == 300000
    assert "last-line" in lines
    assert all(len(e["message"].encode()) <= 256 * 1024 for e in events)


def test_output_without_final_newline_and_stdin(cbx):
    build = cbx.run_spec(spec("printf no-newline", "cat", "read x || echo stdin-is-empty", "echo next-line"))
    assert build["buildStatus"] == "SUCCEEDED"
    log = cbx.log(build)
    assert "no-newline" in log and "stdin-is-empty" in log and "\nnext-line" in log


def test_background_process_does_not_hold_the_build(cbx):
    started = time.time()
    build = cbx.run_spec(spec("nohup sleep 120 > /dev/null 2>&1 &", "(sleep 100 &)", "echo started-background"))
    assert build["buildStatus"] == "SUCCEEDED"
    assert time.time() - started < 30


def test_project_variable_values_are_literal(cbx):
    tricky = "a'b\"c $HOME `id` $(echo no) \\ end"
    project = cbx.project(buildspec=spec('printf "T:VALUE=%s\\n" "$TRICKY"', 'printf "T:MULTI=%s\\n" "$MULTI" | head -1'),
                          env=[{"name": "TRICKY", "value": tricky, "type": "PLAINTEXT"},
                               {"name": "MULTI", "value": "one\ntwo", "type": "PLAINTEXT"}])
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED"
    t = marked(cbx.log(build), "T")
    assert t["VALUE"] == tricky and t["MULTI"] == "one"


def test_exported_variables_skip_aws_names_and_survive_a_failed_build(cbx):
    body = ("version: 0.2\nenv:\n  exported-variables: [AWS_THING, KEPT, NEVER_SET]\nphases:\n  build:\n"
            "    commands:\n      - export AWS_THING=x KEPT=kept-value\n      - exit 1\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "FAILED"
    exported = {v["name"]: v.get("value") for v in build.get("exportedEnvironmentVariables", [])}
    assert exported.get("KEPT") == "kept-value"
    assert "AWS_THING" not in exported


def test_retry_on_failure_runs_the_phase_again(cbx):
    body = ("version: 0.2\nphases:\n  build:\n    on-failure: RETRY-2\n    commands:\n"
            "      - echo attempt >> attempts.txt\n      - test $(wc -l < attempts.txt) -ge 3\n"
            "  post_build:\n    commands:\n      - echo R:ATTEMPTS=$(wc -l < attempts.txt)\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert marked(cbx.log(build), "R") == {"ATTEMPTS": "3"}
    assert [p["phaseStatus"] for p in build["phases"] if p["phaseType"] == "BUILD"] == ["FAILED", "FAILED", "SUCCEEDED"]


def test_run_as_a_user(cbx):
    body = ("version: 0.2\nrun-as: nobody\nphases:\n  build:\n    commands:\n      - echo U:USER=$(id -un)\n"
            "  post_build:\n    run-as: root\n    commands:\n      - echo U:POST=$(id -un)\n")
    build = cbx.run_spec(body)
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert marked(cbx.log(build), "U") == {"USER": "nobody", "POST": "root"}


def test_custom_log_group_and_stream_prefix(cbx):
    group = uid("/custom/group")
    project = cbx.project(buildspec=spec("echo custom-logged"), logsConfig={
        "cloudWatchLogs": {"status": "ENABLED", "groupName": group, "streamName": "prefix"}})
    build = cbx.run(project)
    uuid = build["id"].split(":")[1]
    # streamName is documented as the stream's prefix; the build's own uuid completes it.
    assert build["logs"]["groupName"] == group
    stream = build["logs"]["streamName"]
    assert stream.startswith("prefix") and stream.endswith(uuid), stream
    assert "custom-logged" in cbx.log(build)
    assert cbx.logs.describe_log_streams(logGroupName=group)["logStreams"][0]["logStreamName"] == stream


def test_logs_disabled_writes_no_stream(cbx):
    project = cbx.project(buildspec=spec("echo quiet"), logsConfig={"cloudWatchLogs": {"status": "DISABLED"}})
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED"
    group = f"/aws/codebuild/{project}"
    groups = cbx.logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    streams = cbx.logs.describe_log_streams(logGroupName=group)["logStreams"] if groups else []
    assert streams == []


def test_build_in_another_account(cbx):
    prod = {"aws_access_key_id": "prodkey", "aws_secret_access_key": "prodsecret"}
    iam, cb = cbx.server.client("iam", creds=prod), cbx.server.client("codebuild", creds=prod)
    role_name = uid("prodrole")
    iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=role_name, PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    name = uid("prodproj")
    cb.create_project(name=name, source={"type": "NO_SOURCE", "buildspec": spec(
        "echo P:ARN=$(aws sts get-caller-identity --query Arn --output text)")},
        artifacts={"type": "NO_ARTIFACTS"}, serviceRole=f"arn:aws:iam::111111111111:role/{role_name}",
        environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                     "computeType": "BUILD_GENERAL1_SMALL"})
    build_id = cb.start_build(projectName=name)["build"]["id"]
    deadline = time.time() + 60
    while not (build := cb.batch_get_builds(ids=[build_id])["builds"][0])["buildComplete"]:
        assert time.time() < deadline
        time.sleep(0.1)
    assert build["buildStatus"] == "SUCCEEDED"
    assert build["arn"].startswith("arn:aws:codebuild:us-east-1:111111111111:build/")
    logs = cbx.server.client("logs", creds=prod)
    text = "\n".join(e["message"] for e in logs.get_log_events(
        logGroupName=build["logs"]["groupName"], logStreamName=build["logs"]["streamName"],
        startFromHead=True)["events"])
    uuid = build_id.split(":")[1]
    assert f"P:ARN=arn:aws:sts::111111111111:assumed-role/{role_name}/AWSCodeBuild-{uuid}" in text


def test_parameter_store_denied_to_the_role_fails_download_source(cbx):
    name = uid("/cb/denied-ps")
    cbx.ssm.put_parameter(Name=name, Value="v", Type="String")
    role = cbx.role(statements=[{"Effect": "Allow", "Action": ["logs:*"], "Resource": "*"}])
    body = f"version: 0.2\nenv:\n  parameter-store:\n    P: {name}\nphases:\n  build:\n    commands: [echo x]\n"
    build = cbx.run(cbx.project(buildspec=body, role=role))
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED" and "ssm:GetParameters" in p["contexts"][0]["message"], p


def test_the_aws_cli_v1_starts_and_follows_a_build(cbx):
    project = cbx.project(buildspec=spec("echo from-project"))
    started = cbx.aws("codebuild", "start-build", "--project-name", project,
                      "--environment-variables-override", "name=FROM_CLI,value=cli-value,type=PLAINTEXT",
                      "--buildspec-override", spec("echo CLI:VALUE=$FROM_CLI"), check=True).json["build"]
    build = cbx.wait(started["id"])
    assert build["buildStatus"] == "SUCCEEDED"
    got = cbx.aws("codebuild", "batch-get-builds", "--ids", started["id"], check=True).json["builds"][0]
    assert got["buildStatus"] == "SUCCEEDED" and got["currentPhase"] == "COMPLETED"
    assert [p["phaseType"] for p in got["phases"]] == ALL_PHASES
    assert marked(cbx.log(build), "CLI") == {"VALUE": "cli-value"}
    events = cbx.aws("logs", "get-log-events", "--log-group-name", got["logs"]["groupName"], "--log-stream-name",
                     got["logs"]["streamName"], "--start-from-head", check=True).json["events"]
    assert any(e["message"].startswith("CLI:VALUE=cli-value") for e in events)
