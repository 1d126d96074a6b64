"""The cache backend: Django's Redis cache that keeps answering when Redis does not.

What the cache holds here is disposable (rate-limit counters, computed fragments): sessions and
sign-in lockouts live in the database. So when Redis is down or slow, reads miss and writes are
dropped, with a warning in the log, instead of turning every page and API call into a 500. The
rate limits kept in the cache fail open meanwhile; django-axes (database) still locks an account
after repeated failed sign-ins. Short socket timeouts (OPTIONS in settings) keep a dead Redis
from holding a request for long.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method_name: str, default):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), method_name)(*args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable (%s): %s skipped", type(error).__name__, method_name)
            return default() if callable(default) else default

    method.__name__ = method_name
    return method


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable (%s): get skipped", type(error).__name__)
            return default

    get_many = _tolerant("get_many", dict)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", list)
    add = _tolerant("add", True)  # "added": a limiter counting from here lets the request through
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    touch = _tolerant("touch", False)
    has_key = _tolerant("has_key", False)
    clear = _tolerant("clear", None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable (%s): incr skipped", type(error).__name__)
            return delta
