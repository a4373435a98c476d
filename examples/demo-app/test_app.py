import json

import app


def test_root_greets_with_the_environment_settings(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", json.dumps({"greeting": "hi", "env": "dev"}))
    monkeypatch.setenv("APP_VERSION", "abc123")
    assert app.render("/") == (200, "hi from dev (abc123)\n")


def test_health_answers_ok():
    assert app.render("/health") == (200, "ok\n")


def test_unknown_paths_are_404():
    assert app.render("/nope")[0] == 404


def test_version_comes_from_the_environment_first(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "v9")
    assert app.version() == "v9"
