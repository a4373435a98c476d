#!/usr/bin/env bash
# Runs pytest with the machine's python3 (which has boto3 and the aws CLI) using Debian's
# python3-pytest package: only pytest's own modules are put on the path, so Debian's other
# Python packages (its botocore among them) never shadow the interpreter's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shim="$root/build/pytest-path"
mkdir -p "$shim"
# xdist and execnet run the suite in workers (-n); xdist's dist-info carries its plugin entry point.
for m in _pytest pytest py py.py pluggy iniconfig attr attrs packaging exceptiongroup tomli xdist execnet \
  pytest_xdist-*.dist-info; do
  for path in /usr/lib/python3/dist-packages/$m; do
    if [ -e "$path" ] && [ ! -e "$shim/$(basename "$path")" ]; then
      ln -s "$path" "$shim/$(basename "$path")"
    fi
  done
done
export PYTHONPATH="$shim${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
exec python3 -m pytest -p no:cacheprovider "$@"
