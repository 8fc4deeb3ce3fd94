"""moto's own WSGI application behind a keep-alive HTTP/1.1 front: snaplake's local AWS emulator.

Usage: python moto_front.py -H 127.0.0.1 -p PORT

Why not plain `moto_server`: it spends several times this front's CPU per request for the same moto code
answering the same requests (the measured figures are in docs/testing.md). The difference is not in
moto's AWS behaviour but in how the requests reach it:

- werkzeug's development server closes every connection after one response ("Connection: close"), so
  every request costs a new TCP connection, a new thread and a 10 ms drain wait. Here connections are
  kept alive, with TCP_NODELAY (without it, Nagle's algorithm and delayed ACKs add 40 ms a response).
- moto's dispatcher lists its own package folder (os.listdir and a stat per service, about 190 system
  calls) twice per request to recognise a host name; the answer never changes while it runs, so the
  host-to-service match is remembered here.
- one loop thread serves the requests one at a time, in the order they arrive, instead of one thread per
  connection all contending for Python's GIL: moto runs one request at a time anyway. A connection that
  may block (SQS, whose ReceiveMessage long-polls for up to 20 s) is handed to a thread of its own, so
  that it never stalls the others.
- no access log line per request (errors are still logged).

Everything else is moto, unchanged: the same backends, responses and moto-api endpoints.
"""

import argparse
import selectors
import socket
import sys
import threading
import traceback
import types

import werkzeug.serving as serving
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.wsgi import LimitedStream


class _NoDrain:
    """werkzeug drains a request's unread input after each response, waiting up to 10 ms for more. On a
    kept-alive connection that would swallow the next request; the handler below reads what the
    application left of the body instead."""

    def register(self, *args, **kwargs):
        pass

    def select(self, timeout=None):
        return []

    def close(self):
        pass


serving.selectors = types.SimpleNamespace(DefaultSelector=_NoDrain, EVENT_READ=selectors.EVENT_READ)


class _RememberingDispatcher(DomainDispatcherApplication):
    """moto's dispatcher, remembering which service each host name belongs to (moto's get_application
    asks under its lock, so the dict needs no lock of its own)."""

    def __init__(self):
        super().__init__(create_backend_app)
        self._backend_by_host = {}

    def get_backend_for_host(self, host):
        if host not in self._backend_by_host:
            self._backend_by_host[host] = super().get_backend_for_host(host)
        return self._backend_by_host[host]


class KeepAliveHandler(serving.WSGIRequestHandler):
    """werkzeug's request handler on a kept-alive connection, driven one request at a time."""

    protocol_version = "HTTP/1.1"

    def __init__(self, connection, address, server, front):
        # Not StreamRequestHandler.__init__, which would serve the connection to its end right here.
        self.request = connection
        self.client_address = address
        self.server = server
        self.front = front
        self.close_connection = False
        self.on_own_thread = False
        self._body = None
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.setup()

    def make_environ(self):
        environ = super().make_environ()
        if not isinstance(environ["wsgi.input"], serving.DechunkedInput):
            environ["wsgi.input"] = LimitedStream(environ["wsgi.input"], int(environ.get("CONTENT_LENGTH") or 0))
        self._body = environ["wsgi.input"]
        return environ

    def send_header(self, keyword, value):
        if keyword.lower() == "connection" and value.lower() == "close" and not self.close_connection:
            return  # werkzeug closes every connection; this front keeps them
        super().send_header(keyword, value)

    def log_request(self, code="-", size="-"):
        pass

    def run_wsgi(self):
        if not self.on_own_thread and self.front.may_block(self.headers):
            self.front.move_to_thread(self)
            return
        self.serve_request()

    def serve_request(self):
        self._body = None
        super().run_wsgi()
        if self._body is not None:
            try:
                while self._body.read(65536):
                    pass
            except (OSError, ValueError):
                self.close_connection = True


class MotoFront:
    def __init__(self, host, port):
        self.server = serving.make_server(host, port, _RememberingDispatcher(), threaded=False,
                                          request_handler=KeepAliveHandler)
        self.selector = selectors.DefaultSelector()

    @staticmethod
    def may_block(headers):
        # SigV4 credential scope: .../<region>/sqs/aws4_request
        return "/sqs/aws4_request" in (headers.get("Authorization") or "")

    def move_to_thread(self, handler):
        """From now on this connection is served by a thread of its own, beginning with its current request."""
        self.selector.unregister(handler.connection)
        handler.on_own_thread = True
        threading.Thread(target=self._serve_on_thread, args=(handler,), daemon=True).start()

    def serve_forever(self):
        self.server.socket.setblocking(False)
        self.selector.register(self.server.socket, selectors.EVENT_READ, None)
        print(f" * Running on http://{self.server.host}:{self.server.server_port} (snaplake's moto front)", flush=True)
        while True:
            for key, _ in self.selector.select():
                if key.data is None:
                    self._accept()
                else:
                    self._serve_one(key.data)

    def _accept(self):
        try:
            connection, address = self.server.socket.accept()
        except BlockingIOError:
            return
        connection.setblocking(True)
        self.selector.register(connection, selectors.EVENT_READ, KeepAliveHandler(connection, address, self.server, self))

    def _serve_one(self, handler):
        self._handle(handler)
        if handler.close_connection and not handler.on_own_thread:
            self.selector.unregister(handler.connection)
            self._close(handler)

    def _serve_on_thread(self, handler):
        try:
            handler.serve_request()
        except (ConnectionError, OSError):
            handler.close_connection = True
        while not handler.close_connection:
            self._handle(handler)
        self._close(handler)

    @staticmethod
    def _handle(handler):
        try:
            handler.handle_one_request()
        except (ConnectionError, OSError):
            handler.close_connection = True
        except Exception:  # a request must never stop the front: report it, drop its connection
            traceback.print_exc()
            handler.close_connection = True

    @staticmethod
    def _close(handler):
        try:
            handler.finish()
        except OSError:
            pass
        handler.connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    MotoFront(args.host, args.port).serve_forever()


if __name__ == "__main__":
    sys.exit(main())
