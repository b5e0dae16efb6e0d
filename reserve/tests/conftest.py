from datetime import date

import pytest

from reserve import services
from reserve.models import Level, Post


def regional_pool(cast, **extra):
    return services.pool_create(
        level=Level.REGIONAL,
        region=cast.region_a,
        title=extra.pop("title", "Резерв Амурской области"),
        posts=extra.pop("posts", [Post.PRIMARY_SECRETARY, Post.LOCAL_SECRETARY]),
        year=2026,
        owner=cast.person("staff_a"),
        review_on=extra.pop("review_on", date(2026, 12, 1)),
        **extra,
    )


def nominated(cast, pool=None, person=None, **extra):
    return services.nomination_create(
        pool=pool or regional_pool(cast),
        person=person or cast.person("secretary"),
        nominated_by=cast.person("staff_a"),
        reason=extra.pop("reason", "Опыт секретаря, курс пройден"),
        **extra,
    )


@pytest.fixture
def pool(cast):
    return regional_pool(cast)
