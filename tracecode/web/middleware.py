from django.utils.cache import patch_cache_control


def never_store(get_response):
    """Every page, download and API answer: `Cache-Control: no-store, private`.

    Customer data and new API tokens must not stay in a shared computer's browser cache or a
    proxy's. Static files never reach this middleware: WhiteNoise answers them before it, with
    its own long-lived caching.
    """

    def middleware(request):
        response = get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
