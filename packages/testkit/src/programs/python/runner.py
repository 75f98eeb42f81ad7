# A minimal stand-in for the Lambda Python runtime interface client, run in a child
# process for one invocation: it sets up logging and reports handler failures the way
# awslambdaric/bootstrap.py does (`[ERROR] Type: msg` + traceback with U+00A0 indentation,
# or the JSON format), and writes each log line to fd 3 as a JSON record. The parent adds
# what the Lambda platform writes (START, END, REPORT, timeouts, exits).
import importlib.util
import json
import logging
import os
import sys
import time
import traceback

module_path, handler_name, request_id, log_format, event_json = sys.argv[1:6]
out = os.fdopen(3, "w", buffering=1)
current = {"id": ""}
NBSP = "\u00a0"


def emit(record):
    out.write(json.dumps(record) + "\n")
    out.flush()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current["id"]
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        result = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs,
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": current["id"],
        }
        if record.exc_info:
            etype, value, tb = record.exc_info
            result["errorType"] = etype.__name__
            result["errorMessage"] = str(value)
            result["stackTrace"] = traceback.format_tb(tb)
        return json.dumps(result)


class FdHandler(logging.Handler):
    def emit(self, record):
        emit({"t": "log", "ts": time.time() * 1000, "message": self.format(record)})


class LineWriter:
    """print() output: Lambda turns each stdout line into its own event."""

    def __init__(self):
        self.buffer = ""

    def write(self, text):
        self.buffer += text
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            emit({"t": "log", "ts": time.time() * 1000, "message": line})

    def flush(self):
        pass


logging.Formatter.converter = time.gmtime
root = logging.getLogger()
handler = FdHandler()
if log_format == "json":
    handler.setFormatter(JsonFormatter())
else:
    handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
handler.addFilter(RequestIdFilter())
root.addHandler(handler)
root.setLevel(logging.INFO)
sys.stdout = LineWriter()


def indent(line):
    n = len(line) - len(line.lstrip(" "))
    return NBSP * n + line[n:]


def log_error(result):
    if log_format == "json":
        doc = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": "ERROR", **result}
        emit({"t": "log", "ts": time.time() * 1000, "message": json.dumps(doc)})
        return
    description = "[ERROR] " + result["errorType"] + ": " + result["errorMessage"]
    lines = [description, "Traceback (most recent call last):"]
    for element in result["stackTrace"]:
        for line in element.splitlines():
            lines.append(indent(line))
    emit({"t": "log", "ts": time.time() * 1000, "message": "\n".join(lines)})


def error_result(etype, value, tb, invoke_id):
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.endswith("runner.py")]
    return {"errorMessage": str(value), "errorType": etype.__name__, "requestId": invoke_id, "stackTrace": traceback.format_list(frames)}


try:
    spec = importlib.util.spec_from_file_location("handler", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fn = getattr(module, handler_name)
except Exception as e:
    result = {"errorMessage": "Unable to import module 'handler': " + str(e), "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []}
    log_error(result)
    emit({"t": "done", "error": {"errorType": result["errorType"], "errorMessage": result["errorMessage"]}, "crashed": True})
    sys.exit(1)

emit({"t": "init-done", "ts": time.time() * 1000})
current["id"] = request_id
try:
    value = fn(json.loads(event_json), {"aws_request_id": request_id})
    emit({"t": "done", "result": value})
except Exception:
    etype, value, tb = sys.exc_info()
    result = error_result(etype, value, tb, request_id)
    log_error(result)
    emit({"t": "done", "error": {"errorType": result["errorType"], "errorMessage": result["errorMessage"]}})
