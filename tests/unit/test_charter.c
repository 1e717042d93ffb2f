/* test_charter.c — parsing, round trip, attributes, slugs, validate, fmt. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/charter.h"
#include "codicil/error.h"
#include "codicil/file.h"

static charter *parse_n(const char *text, size_t len)
{
	charter *c = NULL;

	assert_int_equal(charter_parse("CONSTITUTION.md", text, len, &c), 0);
	assert_non_null(c);
	return c;
}

static charter *parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* The ids, space separated, with '*' after implicit ones. */
static char *ids_of(const charter *c)
{
	cd_buf b = CD_BUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		cd_buf_printf(&b, "%s%s%s", i ? " " : "", c->p[i].id, c->p[i].explicit_id ? "" : "*");
	return cd_buf_detach(&b);
}

static void assert_ids(const char *text, const char *want)
{
	charter *c = parse(text);
	char *got = ids_of(c);

	assert_string_equal(got, want);
	free(got);
	charter_free(c);
}

/* Serialising gives the input back; the spans tile the text. */
static void assert_round_trip(const char *text, size_t len)
{
	charter *c = parse_n(text, len);
	cd_buf out = CD_BUF_INIT;
	size_t top_len = c->n ? c->p[0].start : len;

	assert_int_equal(charter_serialize(c, &out), 0);
	assert_int_equal(out.len, len);
	assert_memory_equal(out.data ? out.data : "", text, len);
	for (size_t i = 0; i < c->n; i++) {
		const principle *p = &c->p[i];

		assert_true(p->start < p->heading_end || p->heading_end == len);
		assert_true(p->heading_end <= p->body_end);
		assert_true(p->body_end <= p->end && p->end <= len);
		assert_true(p->attr_start <= p->attr_end && p->attr_end <= p->heading_end);
		if (p->parent < 0)
			top_len += p->end - p->start;
		else
			assert_true(c->p[p->parent].start < p->start &&
				    p->end <= c->p[p->parent].end);
	}
	assert_int_equal(top_len, len);
	cd_buf_clear(&out);
	charter_free(c);
}

static const char *const fixtures[] = {
	"",
	"no headings at all\n",
	"# One\n\nbody\n\n## Two {#two}\n\ntext\n",
	"# CRLF\r\n\r\nbody  \r\n\r\n## Sub {#sub}\r\n\ttabbed\r\n",
	"# No final newline\n\nlast line",
	"# Trailing spaces   \n\nbody\t\n   \n## Next\t\n",
	"Setext one\n==========\n\ntext\n\nSetext two {#s2}\n---\n",
	"# Code\n\n```\n# not a heading\n```\n\n    # indented code\n\n~~~md\n## neither\n~~~\n",
	"# Html\n\n<div>\n# inside html\n</div>\n\n## After\n",
	"# Ünïcödé ✓ titles {#u}\n\n## 日本語の見出し\n\nтекст\n",
	"\xef\xbb\xbf# With BOM\n\nbody\n",
	"# Lone CR\r\rbody\r## Two\r",
	"## Level two first\n\n# Then one\n\n### Then three\n",
	"# A {#a key=\"x y\" .c}\n## B ##\n### C\n#### D\n##### E\n###### F\n####### not\n",
	"#\n##\n## \n# \t\n",
	"> # quoted\n\n- # listed\n\n# Real\n",
	"# Nul\0byte\n\nbody\0\n",
};

static void test_round_trip_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++)
		assert_round_trip(fixtures[i], strlen(fixtures[i]));
	assert_round_trip("# Nul\0byte\n\nbody\0\n", 18);
}

/* Every shipped charter: round trip, valid, fmt idempotent on fmt output. */
static void check_shipped(const char *path)
{
	cd_buf text = CD_BUF_INIT, problems = CD_BUF_INIT, f1 = CD_BUF_INIT, f2 = CD_BUF_INIT;
	charter *c, *c2;
	size_t changed;

	assert_int_equal(cd_file_read(path, &text), 0);
	assert_round_trip(cd_buf_cstr(&text), text.len);
	assert_int_equal(charter_parse(path, cd_buf_cstr(&text), text.len, &c), 0);
	if (charter_validate(c, &problems))
		fail_msg("%s", cd_buf_cstr(&problems));
	assert_int_equal(charter_fmt(c, &f1, &changed), 0);
	assert_int_equal(charter_parse(path, f1.data, f1.len, &c2), 0);
	assert_int_equal(charter_fmt(c2, &f2, &changed), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(f1.len, f2.len);
	assert_memory_equal(f1.data, f2.data, f1.len);
	charter_free(c);
	charter_free(c2);
	cd_buf_clear(&text);
	cd_buf_clear(&problems);
	cd_buf_clear(&f1);
	cd_buf_clear(&f2);
}

static void test_round_trip_shipped_constitutions(void **state)
{
	static const char *const patterns[] = { "constitutions/*/CONSTITUTION.md",
						"constitutions/*/META.md" };
	size_t seen = 0;

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		glob_t g;

		if (glob(patterns[k], 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++, seen++)
			check_shipped(g.gl_pathv[i]);
		globfree(&g);
	}
	if (!seen)
		print_message("no constitutions/*/ charters here (run from the repo root)\n");
}

static void test_headings_in_code_and_html_are_not_principles(void **state)
{
	(void)state;
	assert_ids(fixtures[7], "code*");
	assert_ids(fixtures[8], "html* after*");
	assert_ids(fixtures[15], "real*");
	assert_ids("# A\n\n```\n# B\n", "a*"); /* an unclosed fence runs to EOF */
}

static void test_setext_headings(void **state)
{
	const char *t = "Intro\n\nFirst line\n  second line {#multi k=v}\n=====\n\nbody\n\n"
			"Two\n---\n";
	charter *c = parse(t);

	(void)state;
	assert_int_equal(c->n, 2);
	assert_string_equal(c->p[0].title, "First line second line");
	assert_string_equal(c->p[0].id, "multi");
	assert_int_equal(c->p[0].level, 1);
	assert_int_equal(c->p[0].line, 3);
	assert_int_equal(c->p[0].start, 7);
	assert_int_equal(c->p[0].heading_end, strstr(t, "\nbody") - t);
	assert_int_equal(c->p[0].nattrs, 1);
	assert_int_equal(c->p[1].level, 2);
	assert_string_equal(c->p[1].id, "two");
	assert_int_equal(c->p[1].parent, 0);
	assert_int_equal(c->p[1].heading_end, strlen(t));
	charter_free(c);
}

static void test_crlf_offsets(void **state)
{
	const char *t = "# A {#a}\r\n\r\nbody\r\n## B\r\nx";
	charter *c = parse(t);
	cd_buf body = CD_BUF_INIT;

	(void)state;
	assert_int_equal(c->n, 2);
	assert_string_equal(c->p[0].title, "A");
	assert_int_equal(c->p[0].heading_end, 10);
	assert_int_equal(c->p[0].body_end, 18);
	assert_int_equal(c->p[0].end, strlen(t));
	assert_int_equal(c->p[1].line, 4);
	assert_string_equal(c->p[1].title, "B");
	assert_int_equal(charter_principle_body(c, &c->p[0], &body), 0);
	assert_string_equal(body.data, "\r\nbody\r\n");
	cd_buf_clear(&body);
	charter_free(c);
}

static void test_tree_spans_and_lookup(void **state)
{
	const char *t = "preamble\n# A {#a}\nA body\n## A1 {#a1}\n### A1x {#a1x}\n## A2 {#a2}\n"
			"# B {#b}\nB body\n";
	charter *c = parse(t);
	cd_buf span = CD_BUF_INIT, body = CD_BUF_INIT;

	(void)state;
	assert_int_equal(c->n, 5);
	assert_int_equal(c->p[0].parent, -1);
	assert_int_equal(c->p[1].parent, 0);
	assert_int_equal(c->p[2].parent, 1);
	assert_int_equal(c->p[3].parent, 0);
	assert_int_equal(c->p[4].parent, -1);
	assert_int_equal(charter_index(c, "a2"), 3);
	assert_int_equal(charter_index(c, "nope"), -1);
	assert_ptr_equal(charter_find(c, "b"), &c->p[4]);
	assert_null(charter_find(c, "A"));
	assert_int_equal(charter_principle_text(c, charter_find(c, "a1"), &span), 0);
	assert_string_equal(span.data, "## A1 {#a1}\n### A1x {#a1x}\n");
	assert_int_equal(charter_principle_body(c, charter_find(c, "a"), &body), 0);
	assert_string_equal(body.data, "A body\n");
	cd_buf_reset(&span);
	assert_int_equal(charter_principle_text(c, charter_find(c, "a"), &span), 0);
	assert_int_equal(span.len, strstr(t, "# B") - strstr(t, "# A"));
	cd_buf_clear(&span);
	cd_buf_clear(&body);
	charter_free(c);
}

static void test_attributes(void **state)
{
	const char *t = "## Respect privacy {#privacy authority=root note=\"a b\" .cls bare "
			"q='it\\'s' e=\"say \\\"hi\\\"\"}  \n";
	charter *c = parse(t);
	const principle *p = &c->p[0];

	(void)state;
	assert_string_equal(p->id, "privacy");
	assert_true(p->explicit_id);
	assert_string_equal(p->title, "Respect privacy");
	assert_int_equal(p->nattrs, 6);
	assert_string_equal(p->attrs[0].key, "authority");
	assert_string_equal(p->attrs[0].value, "root");
	assert_string_equal(p->attrs[1].key, "note");
	assert_string_equal(p->attrs[1].value, "a b");
	assert_string_equal(p->attrs[2].key, ".cls");
	assert_null(p->attrs[2].value);
	assert_string_equal(p->attrs[3].key, "bare");
	assert_null(p->attrs[3].value);
	assert_string_equal(p->attrs[4].value, "it's");
	assert_string_equal(p->attrs[5].value, "say \"hi\"");
	assert_int_equal(t[p->attr_start], '{');
	assert_int_equal(t[p->attr_end - 1], '}');
	charter_free(c);
}

static void test_attribute_block_positions(void **state)
{
	(void)state;
	/* Pandoc allows the block after a closing sequence, and before it */
	assert_ids("## A ## {#x}\n## B {#y} ##\n## C {.only-class}\n", "x y c*");
	charter *c = parse("## A ## {#x}\n## B {#y} ##\n## C {.only-class}\n");
	assert_string_equal(c->p[0].title, "A");
	assert_string_equal(c->p[1].title, "B");
	assert_string_equal(c->p[2].title, "C");
	assert_string_equal(c->p[2].attrs[0].key, ".only-class");
	charter_free(c);
}

static void test_braces_that_are_not_attributes(void **state)
{
	const char *t = "## Sets {a, b}\n## The `{#x}` syntax\n## Escaped \\{#y}\n## C# {#csharp}\n"
			"## Issue #4\n";
	charter *c = parse(t);

	(void)state;
	assert_string_equal(c->p[0].title, "Sets {a, b}");
	assert_int_equal(c->p[0].nattrs, 0);
	assert_string_equal(c->p[1].title, "The `{#x}` syntax");
	assert_false(c->p[1].explicit_id);
	assert_string_equal(c->p[2].title, "Escaped \\{#y}");
	assert_false(c->p[2].explicit_id);
	assert_string_equal(c->p[3].title, "C#");
	assert_string_equal(c->p[3].id, "csharp");
	assert_string_equal(c->p[4].title, "Issue #4");
	charter_free(c);
}

static void test_slugs(void **state)
{
	static const char *const cases[][2] = {
		{ "Respect privacy", "respect-privacy" },
		{ "Hello, World!", "hello-world" },
		{ "What's new? (2024)", "whats-new-2024" },
		{ "snake_case and kebab-case", "snake_case-and-kebab-case" },
		{ "C++ & C#", "c--c" },
		{ "Über Straße", "über-straße" },
		{ "ÀÉÎ Ωmega ДОМ", "àéî-ωmega-дом" },
		{ "日本語の見出し", "日本語の見出し" },
		{ "🚀 Launch — now “quoted”", "-launch--now-quoted" },
		{ "**Bold** and `code`", "bold-and-code" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *s = charter_slug(cases[i][0]);

		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

static void test_duplicate_slugs(void **state)
{
	(void)state;
	assert_ids("# Dup\n# Dup\n# Dup\n", "dup* dup-1* dup-2*");
	/* like github-slugger: "Dup 1" slugs to dup-1, which is taken */
	assert_ids("# Dup\n# Dup\n# Dup 1\n", "dup* dup-1* dup-1-1*");
	/* an explicit id anywhere wins; the implicit one moves aside */
	assert_ids("# Dup\n# Other {#dup}\n", "dup-1* dup");
	/* an empty title still gets an id */
	assert_ids("#\n## ???\n", "section* section-1*");
}

static void test_id_valid(void **state)
{
	(void)state;
	assert_true(charter_id_valid("a-b_c.9"));
	assert_false(charter_id_valid(""));
	assert_false(charter_id_valid(NULL));
	assert_false(charter_id_valid("a/b"));
	assert_false(charter_id_valid("a b"));
	assert_false(charter_id_valid("über"));
}

static void assert_problem(const char *text, size_t count, const char *needle)
{
	charter *c = parse(text);
	cd_buf out = CD_BUF_INIT;

	assert_int_equal(charter_validate(c, &out), count);
	if (!strstr(cd_buf_cstr(&out), needle))
		fail_msg("expected \"%s\" in:\n%s", needle, cd_buf_cstr(&out));
	cd_buf_clear(&out);
	charter_free(c);
}

static void test_validate(void **state)
{
	charter *c = parse("# A {#a}\n\n## B\n");
	cd_buf out = CD_BUF_INIT;

	(void)state;
	assert_int_equal(charter_validate(c, &out), 0);
	assert_int_equal(out.len, 0);
	charter_free(c);
	assert_problem("# A {#x}\n\ntext\n## B {#x}\n", 1,
		       "CONSTITUTION.md:4: duplicate id 'x' (first used on line 1)");
	assert_problem("# A\n## B {#b note=\"open}\n", 1,
		       "CONSTITUTION.md:2: malformed attribute block in heading "
		       "'B {#b note=\"open}': unterminated quote");
	assert_problem("\n\n# A {#}\n", 1, "CONSTITUTION.md:3: malformed attribute block");
	assert_problem("# A {#}\n", 1, "empty id in {#}");
	assert_problem("# A {#a key=v\n", 1, "CONSTITUTION.md:1: malformed attribute block");
	assert_problem("# A {#a key=v\n", 1, "missing '}'");
	assert_problem("# A {#a} trailing\n", 1, "text after the attribute block");
	assert_problem("# A {#a #b}\n", 1, "more than one #id");
	assert_problem("# A {#a k=\"v\"x}\n", 1, "unexpected character after a value");
	assert_problem("# A {#a/b}\n", 1, "CONSTITUTION.md:1: id 'a/b' has characters outside");
	assert_problem("Über uns\n===\n", 1, "CONSTITUTION.md:1: heading 'Über uns' has no {#id}");
	assert_problem("# A {#x}\n# B {#x}\n# C {#x}\n# D {#}\n", 3, "CONSTITUTION.md:3: duplicate "
		       "id 'x' (first used on line 1)");
	assert_problem("line\nSetext {#s k=\"v}\n---\n", 1, "CONSTITUTION.md:2: malformed");
}

/* fmt: every heading gets its id; every other line stays byte for byte. */
static void assert_fmt(const char *in, const char *want, size_t want_changed)
{
	charter *c = parse(in), *again;
	cd_buf out = CD_BUF_INIT, out2 = CD_BUF_INIT;
	size_t changed = 99;
	char *ids_before = ids_of(c), *ids_after;

	assert_int_equal(charter_fmt(c, &out, &changed), 0);
	assert_string_equal(cd_buf_cstr(&out), want);
	assert_int_equal(changed, want_changed);
	again = parse(cd_buf_cstr(&out));
	ids_after = ids_of(again);
	for (char *p = ids_before; (p = strchr(p, '*'));)
		memmove(p, p + 1, strlen(p));
	assert_string_equal(ids_after, ids_before);
	assert_int_equal(charter_fmt(again, &out2, &changed), 0);
	assert_int_equal(changed, 0);
	assert_string_equal(cd_buf_cstr(&out2), cd_buf_cstr(&out));
	free(ids_before);
	free(ids_after);
	cd_buf_clear(&out);
	cd_buf_clear(&out2);
	charter_free(c);
	charter_free(again);
}

static void test_fmt(void **state)
{
	(void)state;
	assert_fmt("# Keep {#keep}\n\nbody\n", "# Keep {#keep}\n\nbody\n", 0);
	assert_fmt("# Title\n\nbody  \n\n## Sub section ##\n",
		   "# Title {#title}\n\nbody  \n\n## Sub section ## {#sub-section}\n", 2);
	assert_fmt("# CRLF  \r\n\r\n\ttext\r\n## Dup\r\n## Dup", "# CRLF {#crlf}  \r\n\r\n\ttext\r\n"
		   "## Dup {#dup}\r\n## Dup {#dup-1}", 3);
	assert_fmt("# T {key=v .c}\n", "# T {#t key=v .c}\n", 1);
	assert_fmt("Setext  \nsecond\n===\n", "Setext  \nsecond {#setext-second}\n===\n", 1);
	assert_fmt("```\n# code\n```\n# Real\n", "```\n# code\n```\n# Real {#real}\n", 1);
	assert_fmt("##\n## \n", "## {#section}\n## {#section-1} \n", 2);
}

static void test_fmt_refuses_malformed(void **state)
{
	charter *c = parse("# Fine\n# Broken {#x k=\"v}\n");
	cd_buf out = CD_BUF_INIT;
	size_t changed = 7;

	(void)state;
	cd_buf_puts(&out, "kept");
	assert_int_equal(charter_fmt(c, &out, &changed), -1);
	assert_string_equal(out.data, "kept");
	assert_int_equal(changed, 0);
	assert_non_null(strstr(cd_err_msg(), "CONSTITUTION.md:2: malformed attribute block"));
	cd_buf_clear(&out);
	charter_free(c);
}

/* A large charter parses, tiles and finds ids (timing is `make bench`'s job). */
static void test_large_charter(void **state)
{
	cd_buf t = CD_BUF_INIT;
	charter *c;
	char id[32];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		cd_buf_printf(&t, "%s Principle %d {#p%d k=v}\n\n", i % 3 ? "##" : "#", i, i);
		for (int l = 0; l < 8; l++)
			cd_buf_printf(&t, "Line %d of principle %d, with `# code`.\n", l, i);
		cd_buf_puts(&t, "\n");
	}
	c = parse_n(t.data, t.len);
	assert_int_equal(c->n, 5000);
	for (int i = 0; i < 5000; i += 499) {
		snprintf(id, sizeof id, "p%d", i);
		assert_int_equal(charter_index(c, id), i);
	}
	assert_round_trip(t.data, t.len);
	charter_free(c);
	cd_buf_clear(&t);
}

/* A long charter is sent as its table of contents, the principles at stake
 * in full, and the own text of their ancestors. */
static void test_excerpt(void **state)
{
	const char *t = "# Top {#top}\n\nTop text.\n\n## A {#a}\n\nA text.\n\n### A1 {#a1}\n\n"
			"A1 text.\n\n### A2 {#a2}\n\nA2 text.\n\n## B {#b}\n\nB text.\n\n"
			"### B1 {#b1}\n\nB1 text.\n";
	charter *c = parse(t);
	const char *ids[] = { "a1", "a", "nope" }, *b1[] = { "b1" }, *none[] = { "nope" };
	cd_buf out = CD_BUF_INIT;

	(void)state;
	/* short enough, or nothing named: the whole text */
	assert_int_equal(charter_excerpt(c, ids, 3, 10000, &out), 0);
	assert_string_equal(out.data, t);
	cd_buf_reset(&out);
	assert_int_equal(charter_excerpt(c, none, 1, 10, &out), 0);
	assert_string_equal(out.data, t);
	cd_buf_reset(&out);
	/* b1: the contents, top's and b's own text, b1 in full; not a */
	assert_int_equal(charter_excerpt(c, b1, 1, 10, &out), 0);
	assert_non_null(strstr(out.data, "- Top {#top}\n  - A {#a}\n    - A1 {#a1}\n"));
	assert_non_null(strstr(out.data, "\n# Top {#top}\n\nTop text.\n\n## B {#b}\n\nB text.\n\n"
				   "### B1 {#b1}\n\nB1 text.\n"));
	assert_null(strstr(out.data, "A1 text."));
	cd_buf_reset(&out);
	/* a and a1: a's span holds a1 once */
	assert_int_equal(charter_excerpt(c, ids, 3, 10, &out), 0);
	assert_non_null(strstr(out.data, "## A {#a}\n\nA text.\n\n### A1 {#a1}\n\nA1 text.\n\n"
				   "### A2 {#a2}\n\nA2 text.\n\n"));
	assert_null(strstr(strstr(out.data, "A1 text.") + 1, "A1 text."));
	assert_null(strstr(out.data, "B1 text."));
	cd_buf_clear(&out);
	charter_free(c);
}

static void test_suggest(void **state)
{
	charter *c = parse("# Privacy {#privacy}\n\n# Honesty {#honesty}\n\n# Autonomy {#autonomy}\n\n"
			   "# Priv {#priv}\n");
	cd_buf out = CD_BUF_INIT;

	(void)state;
	assert_int_equal(charter_suggest(c, "privcy", &out), 2);
	assert_string_equal(out.data, "privacy, priv");
	cd_buf_reset(&out);
	assert_int_equal(charter_suggest(c, "honest", &out), 1);
	assert_string_equal(out.data, "honesty");
	cd_buf_reset(&out);
	assert_int_equal(charter_suggest(c, "zzzzzzzz", &out), 0);
	cd_buf_clear(&out);
	charter_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_fixtures),
		cmocka_unit_test(test_round_trip_shipped_constitutions),
		cmocka_unit_test(test_headings_in_code_and_html_are_not_principles),
		cmocka_unit_test(test_setext_headings),
		cmocka_unit_test(test_crlf_offsets),
		cmocka_unit_test(test_tree_spans_and_lookup),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_attribute_block_positions),
		cmocka_unit_test(test_braces_that_are_not_attributes),
		cmocka_unit_test(test_slugs),
		cmocka_unit_test(test_duplicate_slugs),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_fmt_refuses_malformed),
		cmocka_unit_test(test_large_charter),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
