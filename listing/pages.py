"""One way to show a list: the database filters, sorts, counts and limits;
the page shows one page of rows (PAGE_SIZE), the page links and the total;
the filtered rows can be downloaded as CSV or XLSX with the register
export's safety rules (formula-safe cells, Danish headers; callers pass
columns that show CPR numbers masked).

A view:

    listing = list_page(request, Contract.objects.visible_to(user), ContractFilter, …)
    if response := listing.response(COLUMNS, "kontrakter"):
        return response  # a download, or a search by CPR sent away
    return render(request, "…", {"listing": listing})

and its template includes `includes/list_controls.html` (the filter form, the
count and the download links) above its table and `includes/pagination.html`
below it; `includes/list_empty.html` says what to do when no row is shown: the
list's `empty_label`, or its `no_match_label` with a link that clears the
filter.
"""

import datetime
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from listing.filters import SEARCH, ListFilterSet, refuse_cpr_message

PAGE_SIZE = 50
# A download beyond this many rows is refused: narrow the filter instead.
DOWNLOAD_MAX_ROWS = 20_000
DOWNLOAD_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    """A column of a download: its Danish header and how a row gives its value."""

    header: Any
    value: Callable[[Any], object]


@dataclass
class ListPage:
    request: HttpRequest
    filterset: ListFilterSet
    page: Page
    empty_label: str
    no_match_label: str

    @property
    def rows(self) -> Sequence:
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def form(self):
        return self.filterset.form

    @property
    def is_filtered(self) -> bool:
        return self.filterset.is_filtered

    @property
    def fixed_filters(self) -> list[tuple[str, str]]:
        """The filters set by a link and kept as hidden fields (a provider, an
        offer), as (label, value) for the page to name."""
        form = self.form
        if not form.is_valid():
            return []
        return [
            (str(field.label), str(form.cleaned_data[field.name]))
            for field in form.hidden_fields()
            if form.cleaned_data.get(field.name) is not None
        ]

    @property
    def page_numbers(self) -> list:
        """The page links: first, last, and two either side of the current
        page, with None for a gap."""
        return list(
            self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )

    @property
    def download(self) -> str | None:
        chosen = self.request.GET.get("download")
        return chosen if chosen in DOWNLOAD_FORMATS else None

    def response(self, columns: Sequence[Column], file_stem: str) -> HttpResponse | None:
        """What the view returns instead of the page, if anything: a CPR
        number typed into the search is taken out of the address at once
        (CPR numbers are never in a URL; lists are not searched by them),
        and `?download=` gives the filtered rows as a file."""
        if self.filterset.searched_by_cpr:
            messages.error(self.request, str(refuse_cpr_message()))
            query = self.request.GET.copy()
            query.pop(SEARCH, None)
            query.pop("download", None)
            return redirect(f"{self.request.path}?{query.urlencode()}")
        if self.download:
            return self.download_response(columns, file_stem)
        return None

    def download_response(
        self, columns: Sequence[Column], file_stem: str, kind: str | None = None
    ) -> HttpResponse | None:
        """The filtered rows as a file (`kind`, else the one the query string
        asks for), or None (with a message for the page) when there are more
        than DOWNLOAD_MAX_ROWS."""
        if self.total > DOWNLOAD_MAX_ROWS:
            messages.error(
                self.request,
                _(
                    "The list has %(total)s rows; a download holds at most %(max)s. "
                    "Narrow the filter and try again."
                )
                % {"total": self.total, "max": DOWNLOAD_MAX_ROWS},
            )
            return None
        rows = self.filterset.qs.iterator(chunk_size=2000)
        return spreadsheet_response(rows, columns, file_stem, kind or self.download)


def spreadsheet_response(
    rows: Iterable, columns: Sequence[Column], file_stem: str, kind: str
) -> HttpResponse:
    """Rows as a CSV or XLSX file (`kind`), a line per row and a cell per
    column, with the register export's safety rules."""
    import tablib

    from register_io.services import write_csv, write_xlsx

    dataset = tablib.Dataset(headers=[str(column.header) for column in columns])
    dataset.title = file_stem
    for row in rows:
        dataset.append([column.value(row) for column in columns])
    data = write_csv(dataset) if kind == "csv" else write_xlsx(dataset)
    response = HttpResponse(data, content_type=DOWNLOAD_FORMATS[kind])
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{file_stem}-{stamp}.{kind}"'
    return response


def list_page(
    request: HttpRequest,
    queryset: QuerySet,
    filterset_class: type[ListFilterSet],
    *,
    empty_label: str,
    no_match_label: str,
    filterset_kwargs: dict | None = None,
    page_size: int = PAGE_SIZE,
) -> ListPage:
    """Filter, sort and paginate `queryset` by the request's query string."""
    filterset = filterset_class(
        request.GET, queryset=queryset, request=request, **(filterset_kwargs or {})
    )
    paginator = Paginator(filterset.qs, page_size)
    page = paginator.get_page(request.GET.get("page"))
    return ListPage(
        request=request,
        filterset=filterset,
        page=page,
        empty_label=empty_label,
        no_match_label=no_match_label,
    )


@dataclass(frozen=True)
class Summary:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


SUMMARY_SIZE = 10


def summarise(queryset: QuerySet, limit: int = SUMMARY_SIZE, *, few: bool = False) -> Summary:
    """The first `limit` rows of an ordered queryset and the total, in one
    query: the total is a count of the same rows in a subquery of its own,
    run once, so that the first rows are read off an index in the list's
    order and the count off whatever index answers the filter (a window
    count would join and read every row before the limit). A list of `few`
    rows (mails waiting for the mail server) is counted by a window over the
    rows read: its condition is worked out once, not twice."""
    if queryset.query.distinct:
        # A count of the rows before DISTINCT would be wrong: count apart.
        rows = list(queryset[:limit])
        return Summary(rows=rows, total=queryset.count() if len(rows) == limit else len(rows))
    if few or queryset.query.group_by is not None:
        # Few rows, or rows that are groups: a window counts them as they are read.
        total = Window(Count("pk"))
    else:
        total = Subquery(
            queryset.order_by()
            .values(summary_one=Value(1))
            .annotate(summary_count=Count("*"))
            .values("summary_count")
        )
    rows = list(queryset.annotate(summary_total=total)[:limit])
    return Summary(rows=rows, total=rows[0].summary_total if rows else 0)


def summarise_groups(
    queryset: QuerySet, groups: dict[str, Q], order_by: list, limit: int = SUMMARY_SIZE
) -> dict[str, Summary]:
    """Several start-page summaries of one table in two queries: each group
    (a condition on the rows) gets its first `limit` rows in `order_by` and
    its total, numbered and counted by window functions partitioned by group
    over the table's own rows; then the few rows shown are read with what
    the queryset joins to them (joined before the numbering, every row of
    every group would be)."""
    group = Case(
        *(When(condition, then=Value(name)) for name, condition in groups.items()),
        default=Value(""),
        output_field=CharField(),
    )
    # The rows of some group, as a plain condition the indexes answer, before
    # each is named and numbered.
    numbered = (
        queryset.filter(functools.reduce(operator.or_, groups.values()))
        .order_by()
        .annotate(summary_group=group)
        .annotate(
            summary_number=Window(
                RowNumber(), partition_by=[F("summary_group")], order_by=order_by
            ),
            summary_total=Window(Count("pk"), partition_by=[F("summary_group")]),
        )
        .filter(summary_number__lte=limit)
        .values_list("pk", "summary_group", "summary_number", "summary_total")
    )
    numbers = {pk: (name, number, total) for pk, name, number, total in numbered}
    rows = list(queryset.filter(pk__in=numbers).order_by()) if numbers else []
    for row in rows:
        row.summary_group, row.summary_number, row.summary_total = numbers[row.pk]
    found: dict[str, list] = {name: [] for name in groups}
    for row in sorted(rows, key=lambda row: (row.summary_group, row.summary_number)):
        found[row.summary_group].append(row)
    return {
        name: Summary(rows=found[name], total=found[name][0].summary_total if found[name] else 0)
        for name in groups
    }
