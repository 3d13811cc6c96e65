"""GET /health/ (JSON): can this web process serve, and how fresh is what it serves?

    status   "ok"        every part answers                                  HTTP 200
             "degraded"  Redis (cache or broker) is down; pages are served   HTTP 200
                         from the fallbacks (docs/operations.md)
             "down"      the database does not answer: nothing can be served HTTP 503
    checks   database, cache, broker: "ok", "eager" (no broker configured),
             "degraded: <error>" or "error: <error>"
    recommender  the active model version, what it serves, its age, the last
                 successful training
    jobs     each recorded Celery job (OPERATIONS_RECORDED_TASKS): last start,
             success, failure, and hours since the last success

Degraded answers 200 on purpose: a load balancer takes a 503 node out of rotation, and
Redis is shared by every node, so a 503 there would turn "slower and less personal"
into "the site is gone". Monitoring alerts on `status`, not on the HTTP code.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _error(error):
    return f"{error.__class__.__name__}: {error}"[:200]


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {_error(error)}"


def check_cache():
    try:
        if hasattr(cache, "ping"):  # portal.cache.ResilientRedisCache: ask Redis itself, past the fallback
            cache.ping()
            return "ok"
        cache.set("health", "ok", 5)
        return "ok" if cache.get("health") == "ok" else "degraded: read back nothing"
    except Exception as error:  # noqa: BLE001
        return f"degraded: {_error(error)}; answering from process memory"


def check_broker():
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as error:  # noqa: BLE001
        return f"degraded: {_error(error)}; tasks are not queued"


def _age_hours(moment, now):
    return None if moment is None else round((now - moment).total_seconds() / 3600, 2)


def _iso(moment):
    return moment.isoformat() if moment else None


def recommender_facts(now):
    from recommendations.models import ModelVersion

    active = ModelVersion.objects.filter(is_active=True).first()
    trained = (ModelVersion.objects.filter(status=ModelVersion.Status.READY, finished_at__isnull=False)
               .order_by("-finished_at").values_list("finished_at", flat=True).first())
    return {
        "active_version": active.pk if active else None,
        "serving": active.serving if active else None,
        "active_version_trained_at": _iso(active.finished_at) if active else None,
        "active_version_age_hours": _age_hours(active.finished_at, now) if active else None,
        "last_successful_training": _iso(trained),
        "hours_since_last_successful_training": _age_hours(trained, now),
    }


def job_facts(now):
    from portal.operations.models import JobRun

    rows = {row.task: row for row in JobRun.objects.filter(task__in=settings.OPERATIONS_RECORDED_TASKS)}
    facts = {}
    for task, name in settings.OPERATIONS_RECORDED_TASKS.items():
        row = rows.get(task)
        facts[name] = {
            "task": task,
            "last_started_at": _iso(row and row.last_started_at),
            "last_succeeded_at": _iso(row and row.last_succeeded_at),
            "last_failed_at": _iso(row and row.last_failed_at),
            "hours_since_last_success": _age_hours(row and row.last_succeeded_at, now),
        }
    return facts


@never_cache
@require_GET
def health(request):
    now = timezone.now()
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    body = {"checks": checks}
    if checks["database"] == "ok":
        body["status"] = "ok" if all(v in ("ok", "eager") for v in checks.values()) else "degraded"
        try:
            body["recommender"] = recommender_facts(now)
            body["jobs"] = job_facts(now)
        except Exception as error:  # noqa: BLE001 - e.g. a migration not applied yet
            body["facts_error"] = _error(error)
    else:
        body["status"] = "down"
    return JsonResponse(body, status=503 if body["status"] == "down" else 200)
