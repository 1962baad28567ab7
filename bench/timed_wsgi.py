"""The app as gunicorn serves it, with each response telling how long the app itself took
(X-App-Us, microseconds): from the request's arrival in the app to its last byte produced, the
database's time included. bench.outside serves this instead of shiraka.wsgi."""

import time


def timed(app):
    def application(environ, start_response):
        started = time.perf_counter()
        held = []

        def hold(status, headers, exc_info=None):
            held[:] = [status, headers, exc_info]
            return lambda data: None  # WSGI's old write(); Django never calls it

        body = app(environ, hold)
        try:
            chunks = list(body)
        finally:
            if hasattr(body, "close"):  # Django's end of request (connections, signals) is the app's time too
                body.close()
        status, headers, exc_info = held
        spent = round((time.perf_counter() - started) * 1e6)
        start_response(status, [*headers, ("X-App-Us", str(spent))], exc_info)
        return chunks

    return application


def __getattr__(name):
    # Built when gunicorn asks for it, so that importing timed() sets up no Django.
    if name == "application":
        from shiraka.wsgi import application

        return timed(application)
    raise AttributeError(name)
