"""The stock git client with a HOME of its own (its .gitconfig) and an environment cleared of the
machine's AWS_* and GIT_* settings, for the CodeCommit black-box tests."""
import os
import subprocess


class GitClient:
    def __init__(self, home, env=None, config=""):
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GIT_"))}
        self.env.update({"HOME": str(home), "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"})
        self.env.update(env or {})
        (home / ".gitconfig").write_text(
            "[user]\n\tname = Tester\n\temail = tester@example.com\n[init]\n\tdefaultBranch = main\n" + config)

    def run(self, cwd, *args, check=True):
        p = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=self.env, timeout=300)
        if check:
            assert p.returncode == 0, f"git {args}: {p.stderr}"
        return p
