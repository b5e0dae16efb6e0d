"""Demo and national-scale data for the contest, deterministic for a seed.

`demo`: last year's finished contest (the Amur regional stage and the federal final,
archived, with their library of best practices: №80 «Голиковка» wins mentoring in the
final); this year's Amur regional stage accepting entries, with the demo `juror`
assigned (own local branch: Свободненское городское); this year's Karelia regional stage
in judging (entries closed five days ago), where the demo `juror` has every entry still
to score; and this year's federal final as a draft ready to open. Branch №1 of Amur (the
demo `secretary`) has not entered yet.
`national`: the same, with this year's federal final at the scale of the benchmark:
5,000 entries, 10 jurors, 6 criteria and every score (300,000), in judging.
Rows are written with bulk statements; the database constraints still check each.
"""

import importlib
import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone, translation

from branches.models import LocalBranch, Person, PrimaryBranch, Region
from contests.models import (
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Juror,
    Level,
    Method,
    Nomination,
    Score,
    Status,
    Theme,
)
from contests.services import DEFAULT_RUBRIC, final_collect_winners, results_freeze, sanitize_practice

BATCH = 5000


def score_keys() -> list[tuple]:
    """The composite foreign keys of the scores, as migration 0002 defines them."""
    return importlib.import_module("contests.migrations.0002_composite_foreign_keys").FOREIGN_KEYS


PRACTICES: dict[str, list[tuple[str, str]]] = {
    Theme.PROGRAMME: [
        ("Народная программа во дворе: {n} наказов за год",
         "Каждый месяц секретарь и активисты обходили дворы {settlement} и записывали наказы жителей.\n\n"
         "Наказы сверяли с народной программой партии и передавали депутатам; по {n} из них уже есть "
         "результат: отремонтированы дороги, освещение, детская площадка.\n\n"
         "Жители видят отчёт на стенде у школы и в группе посёлка."),
        ("Комфортная среда: благоустройство вместе с жителями",
         "Первичка собрала предложения жителей {settlement} по благоустройству и добилась включения "
         "сквера в программу «Формирование комфортной городской среды».\n\n"
         "Активисты участвовали в приёмке работ и организовали {n} субботников."),
        ("Приём депутата в каждом селе",
         "Мы договорились с депутатами о выездных приёмах: раз в месяц депутат приезжает в {settlement}.\n\n"
         "За год проведено {n} приёмов, решено больше половины обращений; остальные на контроле."),
    ],
    Theme.MOBILISATION: [
        ("Актив на связи: дежурства и чат первички",
         "Мы разбили {settlement} на участки, за каждым закреплён активист. Общий чат первички помогает "
         "за час собрать людей на субботник или встречу.\n\n"
         "В этом году в работу вовлечено {n} новых активистов."),
        ("Добровольцы на выборах: школа наблюдателя",
         "Первичка провела школу наблюдателя для {n} жителей {settlement}; выпускники работали на "
         "участках и помогали пожилым избирателям."),
        ("Штаб взаимопомощи",
         "Штаб при первичке собирает помощь семьям участников СВО: продукты, лекарства, ремонт домов.\n\n"
         "В работе штаба участвовали {n} добровольцев."),
    ],
    Theme.MENTORING: [
        ("Наставничество: опытный секретарь ведёт новых",
         "Секретари с опытом закреплены за новыми секретарями соседних первичек. Наставник помогает "
         "провести первое собрание, составить план работы, наладить связь с депутатами.\n\n"
         "За год через наставничество прошли {n} секретарей; ни одна первичка не осталась без поддержки."),
        ("Школа секретаря первички",
         "Ежеквартальные встречи секретарей {settlement}: разбор трудных случаев, обмен опытом, "
         "приглашённые депутаты и юристы. Проведено {n} занятий."),
    ],
    Theme.YOUTH: [
        ("Молодёжный совет первички",
         "При первичке создан молодёжный совет: {n} школьников и студентов {settlement} ведут "
         "волонтёрские проекты, помогают ветеранам и готовят праздники посёлка."),
        ("Кадры будущего: стажировки у депутатов",
         "Студенты из {settlement} проходят стажировку в приёмных депутатов и в местном отделении.\n\n"
         "Трое выпускников стажировки вошли в кадровый резерв; всего стажировались {n} человек."),
        ("Спорт и патриотическое воспитание",
         "Первичка организовала турниры и военно-патриотические сборы для подростков {settlement}; "
         "участвовали {n} ребят."),
    ],
}  # fmt: skip

GOLIKOVKA = (
    "Наставничество среди первичных отделений",
    "Первичное отделение №80 «Голиковка» предложило развивать институт наставничества: опытные "
    "секретари первичек берут шефство над новыми и над молодыми кадрами.\n\n"
    "Наставник помогает освоить работу с наказами избирателей, провести собрание, вовлечь молодёжь.\n\n"
    "В Петрозаводске по этой модели работают 12 пар «наставник — секретарь».",
)
OBNINSK = (
    "Первичка и центр «Милосердие»: помощь семьям и детям",
    "Первичное отделение №2024 Обнинска вместе с центром социальной помощи семье и детям «Милосердие» "
    "ведёт наказы избирателей совместно с депутатами.\n\n"
    "Предложение: утверждать председателей региональных советов первичек сразу на пять лет.",
)

JUROR_NAMES = [
    ("Оценкина", "Вера", "Ивановна"), ("Баллов", "Игорь", "Петрович"), ("Жюрин", "Олег", "Сергеевич"),
    ("Экспертова", "Нина", "Андреевна"), ("Строгов", "Павел", "Ильич"), ("Мягкова", "Инна", "Олеговна"),
    ("Рейтингов", "Антон", "Юрьевич"), ("Критериева", "Алла", "Викторовна"), ("Судаков", "Глеб", "Романович"),
    ("Весова", "Дина", "Михайловна"),
]  # fmt: skip


def seed(scale_name: str, rng: random.Random) -> dict:
    today = timezone.localdate()
    last_year = today.year - 1
    amur = Region.objects.get(code="28")
    with translation.override("ru"):
        counts = {}
        last_amur = _finished_regional(rng, amur, last_year)
        counts["last_year_amur_entries"] = last_amur.entries.count()
        final = _finished_final(rng, last_year, last_amur)
        counts["last_year_final_entries"] = final.entries.count()
        jurors = _people(JUROR_NAMES[8:10])
        current = _open_regional(rng, amur, today, jurors, blind=True, per_theme=10, drafts=10)
        counts["this_year_amur_entries"] = current.entries.count()
        karelia = _open_regional(
            rng, Region.objects.get(code="10"), today, jurors, blind=False, per_theme=3, drafts=0, judging=True
        )
        counts["this_year_karelia_entries"] = karelia.entries.count()
        if scale_name == "national":
            big = _national_final(rng, today)
            counts["national_final_entries"] = big.entries.count()
            counts["national_final_scores"] = Score.objects.filter(juror__contest=big).count()
        else:
            _draft_final(today)
    counts["library_practices"] = Entry.objects.filter(result__place__isnull=False).count()
    return counts


def _contest(*, year, level, region, status, opens, closes, judged, results, method=Method.MEAN, blind=False):
    now = timezone.now()
    finished = status in {Status.PUBLISHED, Status.ARCHIVED}
    contest = Contest.objects.create(
        year=year,
        level=level,
        region=region,
        status=status,
        method=method,
        blind=blind,
        entries_open_on=opens,
        entries_close_on=closes,
        judging_close_on=judged,
        results_on=results,
        opened_at=now if status != Status.DRAFT else None,
        judging_started_at=now if status in {Status.JUDGING, Status.PUBLISHED, Status.ARCHIVED} else None,
        published_at=now if finished else None,
        archived_at=now if status == Status.ARCHIVED else None,
    )
    Nomination.objects.bulk_create(Nomination(contest=contest, theme=theme) for theme in Theme.values)
    Criterion.objects.bulk_create(
        Criterion(contest=contest, name=translation.gettext(name), weight=Decimal(weight), max_score=top, position=i)
        for i, (name, weight, top) in enumerate(DEFAULT_RUBRIC, start=1)
    )
    return contest


def _practice(rng: random.Random, theme: str, branch: PrimaryBranch) -> tuple[str, str, str]:
    title, text = rng.choice(PRACTICES[theme])
    text = text.format(settlement=branch.settlement or branch.name, n=rng.randint(5, 60))
    practice, plain = sanitize_practice(text)
    return title.format(n=rng.randint(5, 60)), practice, plain


def _entries(rng, contest, branches, *, per_theme: int, drafts: int = 0, submitted_at=None) -> list[Entry]:
    """Entries of distinct branches in each nomination; the last `drafts` of them stay drafts."""
    nominations = list(contest.nominations.all())
    rows = []
    for nomination in nominations:
        for branch in rng.sample(branches, min(per_theme, len(branches))):
            title, practice, plain = _practice(rng, nomination.theme, branch)
            rows.append(
                Entry(
                    contest=contest,
                    nomination=nomination,
                    branch=branch,
                    title=title,
                    practice=practice,
                    practice_text=plain,
                    activists_involved=rng.randint(3, 40),
                    events_held=rng.randint(2, 30),
                    people_reached=rng.randint(50, 3000),
                    status=EntryStatus.SUBMITTED,
                    submitted_at=submitted_at or timezone.now(),
                )
            )
    rng.shuffle(rows)
    for entry in rows[len(rows) - drafts :] if drafts else []:
        entry.status, entry.submitted_at = EntryStatus.DRAFT, None
    return Entry.objects.bulk_create(rows, batch_size=BATCH)


def _jurors(contest, people, *, homes=None) -> list[Juror]:
    homes = homes or {}
    return Juror.objects.bulk_create(
        Juror(contest=contest, nomination=nomination, person=person, home_local_branch_id=homes.get(person.pk))
        for nomination in contest.nominations.all()
        for person in people
    )


def _people(names) -> list[Person]:
    return Person.objects.bulk_create(
        Person(last_name=last, first_name=first, patronymic=middle) for last, first, middle in names
    )


def _score_everything(rng, contest, *, favourites=()) -> int:
    """Every juror scores every submitted entry of their nomination (but their own local branch's).

    Each juror has a bias (harsh or lenient), each entry a quality; `favourites` score high.
    """
    criteria = list(contest.criteria.all())
    jurors = list(contest.jurors.all())
    entries = list(contest.entries.filter(status=EntryStatus.SUBMITTED).select_related("branch"))
    quality = {entry.pk: 0.95 if entry.pk in favourites else rng.uniform(0.3, 0.85) for entry in entries}
    bias = {juror.pk: rng.uniform(-0.15, 0.1) for juror in jurors}
    rows = []
    for juror in jurors:
        for entry in entries:
            if entry.nomination_id != juror.nomination_id:
                continue
            if entry.branch.local_branch_id == juror.home_local_branch_id:
                continue
            for criterion in criteria:
                share = quality[entry.pk] + bias[juror.pk] + rng.uniform(-0.1, 0.1)
                value = max(0, min(criterion.max_score, round(share * criterion.max_score)))
                rows.append(
                    Score(
                        juror=juror,
                        entry=entry,
                        criterion=criterion,
                        nomination_id=entry.nomination_id,
                        max_score=criterion.max_score,
                        value=value,
                    )
                )
    Score.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _finished_regional(rng, amur: Region, year: int) -> Contest:
    from datetime import date

    contest = _contest(
        year=year,
        level=Level.REGIONAL,
        region=amur,
        status=Status.ARCHIVED,
        opens=date(year, 2, 1),
        closes=date(year, 3, 15),
        judged=date(year, 4, 10),
        results=date(year, 4, 15),
    )
    branches = list(PrimaryBranch.objects.filter(region=amur).exclude(number=1).order_by("number"))
    _entries(rng, contest, branches, per_theme=14)
    locals_ = list(LocalBranch.objects.filter(region=amur).order_by("name"))
    people = _people(JUROR_NAMES[:3])
    _jurors(contest, people, homes={person.pk: rng.choice(locals_).pk for person in people})
    _score_everything(rng, contest)
    results_freeze(contest=contest)
    return contest


def _finished_final(rng, year: int, amur_stage: Contest) -> Contest:
    from datetime import date

    contest = _contest(
        year=year,
        level=Level.FEDERAL,
        region=None,
        status=Status.ARCHIVED,
        opens=date(year, 3, 1),
        closes=date(year, 5, 15),
        judged=date(year, 6, 15),
        results=date(year, 6, 20),
        method=Method.ZSCORE,
    )
    final_collect_winners(final=contest, stages=[amur_stage])
    nominations = {n.theme: n for n in contest.nominations.all()}
    favourites = []
    for code, number, theme, (title, text) in [
        ("10", 80, Theme.MENTORING, GOLIKOVKA),
        ("40", 2024, Theme.PROGRAMME, OBNINSK),
    ]:
        branch = PrimaryBranch.objects.filter(region__code=code, number=number).first()
        if branch is None:
            continue
        practice, plain = sanitize_practice(text)
        entry = Entry.objects.create(
            contest=contest,
            nomination=nominations[theme],
            branch=branch,
            title=title,
            practice=practice,
            practice_text=plain,
            activists_involved=rng.randint(10, 40),
            events_held=rng.randint(10, 30),
            people_reached=rng.randint(500, 3000),
            status=EntryStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        favourites.append(entry.pk)
    others = list(
        PrimaryBranch.objects.filter(region__code__in=["10", "40", "27", "77"]).exclude(number__in=[80, 2024])
    )
    _entries(rng, contest, others, per_theme=4)
    _jurors(contest, _people(JUROR_NAMES[3:8]))
    _score_everything(rng, contest, favourites=set(favourites))
    results_freeze(contest=contest)
    return contest


def _open_regional(
    rng, region: Region, today, jurors, *, blind: bool, per_theme: int, drafts: int, judging: bool = False
) -> Contest:
    """This year's stage, accepting entries (or, `judging`, closed five days ago and being judged,
    nobody's scores in yet); the branch of the demo secretaries (№1 of Amur, №80 of Karelia)
    has not entered. The demo juror judges every nomination; in Amur their own local branch
    is Свободненское городское."""
    if judging:
        opens, closes, judged, results = (today + timedelta(days=n) for n in (-40, -5, 15, 20))
    else:
        opens, closes, judged, results = (today + timedelta(days=n) for n in (-20, 20, 40, 45))
    contest = _contest(
        year=today.year,
        level=Level.REGIONAL,
        region=region,
        status=Status.JUDGING if judging else Status.ACCEPTING,
        opens=opens,
        closes=closes,
        judged=judged,
        results=results,
        blind=blind,
    )
    branches = list(PrimaryBranch.objects.filter(region=region).exclude(number__in=[1, 80]).order_by("number"))
    _entries(rng, contest, branches, per_theme=per_theme, drafts=drafts)
    juror = Person.objects.filter(user__username="juror").first()
    home = LocalBranch.objects.filter(region=region, name="Свободненское городское").first()
    _jurors(contest, jurors)
    if juror is not None:
        _jurors(contest, [juror], homes={juror.pk: home.pk if home else None})
    return contest


def _draft_final(today) -> Contest:
    return _contest(
        year=today.year,
        level=Level.FEDERAL,
        region=None,
        status=Status.DRAFT,
        opens=today,
        closes=today + timedelta(days=60),
        judged=today + timedelta(days=90),
        results=today + timedelta(days=100),
        method=Method.ZSCORE,
    )


NATIONAL_ENTRIES = 5000
NATIONAL_JURORS = 10
NATIONAL_CRITERIA = [
    ("Вклад в народную программу", "2", 10),
    ("Измеримые результаты", "2", 10),
    ("Вовлечение актива", "1.5", 10),
    ("Работа с жителями", "1.5", 10),
    ("Тиражируемость", "1", 10),
    ("Качество описания", "0.5", 5),
]


def national_final(rng: random.Random, *, year: int, today, branches: list[int]) -> Contest:
    """A federal final in judging with NATIONAL_ENTRIES entries, NATIONAL_JURORS jurors on every
    nomination, six criteria and every score, written in a few statements (also used by the
    results benchmark test)."""
    contest = Contest.objects.create(
        year=year,
        level=Level.FEDERAL,
        status=Status.JUDGING,
        method=Method.ZSCORE,
        entries_open_on=today - timedelta(days=100),
        entries_close_on=today - timedelta(days=30),
        judging_close_on=today + timedelta(days=10),
        results_on=today + timedelta(days=20),
        opened_at=timezone.now(),
        judging_started_at=timezone.now(),
    )
    nominations = Nomination.objects.bulk_create(Nomination(contest=contest, theme=theme) for theme in Theme.values)
    Criterion.objects.bulk_create(
        Criterion(contest=contest, name=name, weight=Decimal(weight), max_score=top, position=i)
        for i, (name, weight, top) in enumerate(NATIONAL_CRITERIA, start=1)
    )
    people = Person.objects.bulk_create(
        Person(last_name=f"Членов-Жюри-{n}", first_name="Эксперт") for n in range(1, NATIONAL_JURORS + 1)
    )
    Juror.objects.bulk_create(
        Juror(contest=contest, nomination=nomination, person=person) for nomination in nominations for person in people
    )
    # Distinct (branch, nomination) pairs: each branch enters up to every nomination.
    pairs = [(branch, nomination) for branch in branches for nomination in nominations]
    pairs = rng.sample(pairs, NATIONAL_ENTRIES)
    now = timezone.now()
    Entry.objects.bulk_create(
        (
            Entry(
                contest=contest,
                nomination=nomination,
                branch_id=branch,
                title=f"Практика {index}",
                practice=f"<p>Описание практики {index}.</p>",
                practice_text=f"Описание практики {index}.",
                status=EntryStatus.SUBMITTED,
                submitted_at=now - timedelta(seconds=index),
            )
            for index, (branch, nomination) in enumerate(pairs, start=1)
        ),
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        # Tables filled in this transaction have no statistics yet; the planner needs them.
        cursor.execute("ANALYZE contests_entry, contests_juror, contests_criterion")
        cursor.execute("SELECT setseed(%s)", [rng.random()])
        # A foreign key checks an INSERT row by row (300,000 × 3 lookups, about 15 s); added
        # back after the insert, it checks every row in one join. The rules hold all the same.
        # Altering them needs the deferred checks queued on the tables they join done first
        # (those of the rows this seed wrote); other apps' checks stay at the commit.
        keys = [key for key in score_keys() if key[0] == "contests_score"]
        cursor.execute(
            """
            SELECT string_agg(quote_ident(conname), ', ') FROM pg_constraint
            WHERE condeferrable AND conrelid IN (
                'contests_score'::regclass, 'contests_entry'::regclass,
                'contests_juror'::regclass, 'contests_criterion'::regclass
            )
            """
        )
        deferred = cursor.fetchone()[0]
        cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
        for table, name, *_rest in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        cursor.execute(
            """
            INSERT INTO contests_score (juror_id, entry_id, criterion_id, nomination_id, max_score, value, comment,
                                        updated_at)
            SELECT j.id, e.id, c.id, e.nomination_id, c.max_score,
                   LEAST(c.max_score, FLOOR(random() * (c.max_score + 1)))::int, '', now()
            FROM contests_entry e
            JOIN contests_juror j ON j.nomination_id = e.nomination_id
            JOIN contests_criterion c ON c.contest_id = e.contest_id
            WHERE e.contest_id = %s
            ORDER BY j.id, e.id, c.id
            """,
            [contest.pk],
        )
        for table, name, columns, target, target_columns in keys:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                f"FOREIGN KEY ({columns}) REFERENCES {target} ({target_columns})"
            )
        cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")  # back to Django's default
    return contest


def _national_final(rng, today) -> Contest:
    branches = list(PrimaryBranch.objects.filter(closed_on__isnull=True).order_by("pk").values_list("pk", flat=True))
    branches = rng.sample(branches, min(len(branches), NATIONAL_ENTRIES))
    return national_final(rng, year=today.year, today=today, branches=branches)
