from django.db import connections


class QueryCountMiddleware:
    """Tells the benchmark how many database queries a response took (X-Query-Count). Only in
    the middleware list when QUERY_COUNT_HEADER is set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count[0])
        return response
