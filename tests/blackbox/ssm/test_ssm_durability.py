"""kill -9 during a burst of PutParameter writes, then restart: every acknowledged write is
there (SQLite WAL, one transaction per request)."""
import threading

from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from urllib3.exceptions import ProtocolError

from conftest import TWO_ACCOUNTS


def test_acknowledged_writes_survive_kill9(start_hakobu):
    server = start_hakobu(config_text=TWO_ACCOUNTS)
    acked = {}
    stop = threading.Event()
    lock = threading.Lock()

    def writer(worker):
        ssm = server.client("ssm")
        i = 0
        while not stop.is_set():
            name = f"/burst/w{worker}/p{i}"
            kind = "SecureString" if i % 3 == 0 else "String"
            try:
                ssm.put_parameter(Name=name, Value=f"value-{worker}-{i}", Type=kind)
            except (ClientError, EndpointConnectionError, ReadTimeoutError, ProtocolError, ConnectionError, OSError):
                return
            except Exception:  # any transport failure once the server is gone
                return
            with lock:
                acked[name] = f"value-{worker}-{i}"
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    while True:
        with lock:
            if len(acked) >= 200:
                break
        threading.Event().wait(0.01)
    server.kill9()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    server.start(port=server.port)

    ssm = server.client("ssm")
    names = sorted(acked)
    for start in range(0, len(names), 10):
        chunk = names[start:start + 10]
        out = ssm.get_parameters(Names=chunk, WithDecryption=True)
        assert out["InvalidParameters"] == [], out["InvalidParameters"]
        assert {p["Name"]: p["Value"] for p in out["Parameters"]} == {n: acked[n] for n in chunk}


def test_overwrites_and_labels_survive_restart(start_hakobu):
    server = start_hakobu()
    ssm = server.client("ssm")
    ssm.put_parameter(Name="/keep", Value="1", Type="SecureString")
    ssm.put_parameter(Name="/keep", Value="2", Overwrite=True)
    ssm.label_parameter_version(Name="/keep", ParameterVersion=1, Labels=["first"])
    server.restart()
    ssm = server.client("ssm")
    assert ssm.get_parameter(Name="/keep", WithDecryption=True)["Parameter"]["Value"] == "2"
    assert ssm.get_parameter(Name="/keep:first", WithDecryption=True)["Parameter"]["Value"] == "1"
