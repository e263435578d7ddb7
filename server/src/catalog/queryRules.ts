// Hints about the queries a project's Python code runs (codes DPG4xx), documented as data. The analysis
// lives in server/src/queries.
import type { RuleDoc } from './types';

const QUERIES = 'https://docs.djangoproject.com/en/5.2/ref/models/querysets/';

export const queryRules: RuleDoc[] = [
  {
    code: 'DPG401', name: 'n-plus-one-loop', severity: 'information',
    what: 'Flags a loop or comprehension over a queryset whose body follows a relation (ForeignKey, OneToOneField, ManyToManyField or a reverse accessor) that the queryset does not load, with the number of queries it costs.',
    why: 'Each row then runs one more query when the body reads the relation: 1 + N round trips to PostgreSQL instead of 1 (select_related joins the related table) or 2 (prefetch_related reads all related rows at once). It is the most common slow page of a Django site, and it grows with the data.',
    example: [
      'class Book(models.Model):',
      "    author = models.ForeignKey('Author', on_delete=models.CASCADE)",
      '',
      '',
      'def titles_and_authors():',
      '    return [(book.title, book.author.name) for book in Book.objects.all()]',
      '',
    ].join('\n'),
    fix: "Load the relation with the rows: `Book.objects.all().select_related('author')` (`prefetch_related('tags')` for a many-valued relation). Reading only `book.author_id` needs neither.",
    docsUrl: `${QUERIES}#select-related`,
  },
  {
    code: 'DPG402', name: 'n-plus-one-template', severity: 'information',
    what: "Flags a queryset a view passes to a template (render, render_to_string, TemplateResponse, or a ListView's `model` / `queryset`) when the template's `{% for %}` over it follows a relation the queryset does not load.",
    why: 'The template runs the extra queries while it renders, one per row, where no Python loop shows them.',
    example: [
      '# catalog/templates/catalog/book_list.html: {% for book in books %}{{ book.author.name }}{% endfor %}',
      'def book_list(request):',
      "    return render(request, 'catalog/book_list.html', {'books': Book.objects.all()})",
      '',
    ].join('\n'),
    fix: "`{'books': Book.objects.all().select_related('author')}`",
    docsUrl: `${QUERIES}#prefetch-related`,
  },
];
