/* test_charter_edit.c — charter_apply: replace, insert, delete, and every
 * way an edit is refused instead of silently applied. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "codicil/charter.h"
#include "codicil/error.h"

static const char base_text[] =
	"# Charter {#charter}\n"
	"\n"
	"Preamble.\n"
	"\n"
	"## Privacy {#privacy authority=root note=\"a b\"}\n"
	"\n"
	"Keep secrets.\n"
	"\n"
	"### Exceptions {#exceptions}\n"
	"\n"
	"Imminent harm.\n"
	"\n"
	"## Honesty\n"
	"\n"
	"Do not lie.\n";

static charter *parse(const char *text)
{
	charter *c = NULL;

	assert_int_equal(charter_parse("CONSTITUTION.md", text, strlen(text), &c), 0);
	return c;
}

static char *ids_of(const char *text)
{
	charter *c = parse(text);
	cd_buf b = CD_BUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		cd_buf_printf(&b, "%s%s", i ? " " : "", c->p[i].id);
	charter_free(c);
	return cd_buf_detach(&b);
}

/* Apply edits to text; the result must succeed and have the given ids. */
static char *apply_ok(const char *text, const charter_edit *e, size_t n, const char *want_ids)
{
	charter *c = parse(text);
	cd_buf out = CD_BUF_INIT;
	char *ids;

	if (charter_apply(c, e, n, &out) < 0)
		fail_msg("apply failed: %s", cd_err_msg());
	ids = ids_of(cd_buf_cstr(&out));
	assert_string_equal(ids, want_ids);
	free(ids);
	charter_free(c);
	return cd_buf_detach(&out);
}

/* The edit must fail, leave out empty, and the message must say needle. */
static void apply_fails(const char *text, const charter_edit *e, size_t n, const char *needle)
{
	charter *c = parse(text);
	cd_buf out = CD_BUF_INIT;

	cd_buf_puts(&out, "stale");
	cd_err_clear();
	assert_int_equal(charter_apply(c, e, n, &out), -1);
	assert_int_equal(out.len, 0);
	if (!strstr(cd_err_msg(), needle))
		fail_msg("expected \"%s\" in: %s", needle, cd_err_msg());
	cd_buf_clear(&out);
	charter_free(c);
}

static void assert_prefix_suffix(const char *a, const char *b, size_t prefix, size_t suffix)
{
	size_t la = strlen(a), lb = strlen(b);

	assert_true(la >= prefix + suffix && lb >= prefix + suffix);
	assert_memory_equal(a, b, prefix);
	assert_memory_equal(a + la - suffix, b + lb - suffix, suffix);
}

static void test_replace_body(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "privacy",
			   .body = "\n\nKeep secrets,\nunless told otherwise.\n\n\n" };
	char *r = apply_ok(base_text, &e, 1, "charter privacy exceptions honesty");
	const char *heading_end = strstr(base_text, "Keep secrets.");
	const char *sub = strstr(base_text, "### Exceptions");

	(void)state;
	assert_non_null(strstr(r, "note=\"a b\"}\n\nKeep secrets,\nunless told otherwise.\n\n### "));
	assert_prefix_suffix(base_text, r, (size_t)(heading_end - base_text), strlen(sub));
	free(r);
}

static void test_replace_heading_keeps_attributes_and_id(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "privacy",
			   .heading = "  Respect privacy " };
	char *r = apply_ok(base_text, &e, 1, "charter privacy exceptions honesty");
	charter *c = parse(r);

	(void)state;
	assert_non_null(strstr(r, "\n## Respect privacy {#privacy authority=root note=\"a b\"}\n"));
	assert_string_equal(charter_find(c, "privacy")->title, "Respect privacy");
	assert_int_equal(strlen(r), strlen(base_text) + strlen("Respect "));
	charter_free(c);
	free(r);
}

static void test_replace_heading_pins_implicit_id(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "honesty", .heading = "Truth",
			   .body = "Never deceive." };
	char *r = apply_ok(base_text, &e, 1, "charter privacy exceptions honesty");

	(void)state;
	assert_non_null(strstr(r, "## Truth {#honesty}\n\nNever deceive.\n"));
	assert_prefix_suffix(base_text, r, (size_t)(strstr(base_text, "## Honesty") - base_text), 0);
	free(r);
}

static void test_replace_setext_and_crlf(void **state)
{
	const char *t = "Intro\r\n\r\nFirst {#first}\r\n=====\r\n\r\nold\r\n\r\nSecond {#second}\r\n"
			"------\r\n\r\nkeep\r\n";
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "first", .heading = "Premier",
			   .body = "line one\nline two\n" };
	char *r = apply_ok(t, &e, 1, "first second");

	(void)state;
	assert_string_equal(r, "Intro\r\n\r\nPremier {#first}\r\n=====\r\n\r\nline one\r\nline two\r\n"
			       "\r\nSecond {#second}\r\n------\r\n\r\nkeep\r\n");
	free(r);
}

static void test_replace_heading_of_unusual_headings(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "two-lines", .heading = "One" };
	char *r = apply_ok("Two\n  lines  \n---\n\nbody\n", &e, 1, "two-lines");
	char *r2;

	(void)state;
	assert_string_equal(r, "One {#two-lines}  \n---\n\nbody\n");
	e = (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = "section", .heading = "Named" };
	r2 = apply_ok("##\n\nx\n", &e, 1, "section");
	assert_string_equal(r2, "## Named {#section}\n\nx\n");
	free(r);
	free(r2);
}

/* "# " with a blank after the marks: the id's place (the trimmed end of the
 * line) lies before the title's; the splices stay in order (it once copied
 * (size_t)-1 bytes: ../shared/repro/charter-apply-empty-heading.md). */
static void test_replace_heading_of_an_empty_title(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "section", .heading = "Named" };
	char *r = apply_ok("# \n\nbody\n", &e, 1, "section"), *r2, *r3;

	(void)state;
	assert_string_equal(r, "# Named {#section}\n\nbody\n");
	e.body = "New body.";
	r2 = apply_ok("# \n\nbody\n", &e, 1, "section");
	assert_string_equal(r2, "# Named {#section}\n\nNew body.\n");
	e = (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = "section", .heading = "Named" };
	r3 = apply_ok("# Root {#root}\n\nintro\n\n##   \n\nuntitled\n\n## B {#b}\n\nx\n", &e, 1,
		      "root section b");
	assert_string_equal(r3, "# Root {#root}\n\nintro\n\n##   Named {#section}\n\nuntitled\n\n"
			    "## B {#b}\n\nx\n");
	free(r);
	free(r2);
	free(r3);
}

static void test_replace_body_where_there_was_none(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_REPLACE, .id = "a", .body = "text" };
	char *r = apply_ok("# A {#a}\n## B {#b}\n", &e, 1, "a b");
	char *r2 = apply_ok("# A {#a}", &e, 1, "a");

	(void)state;
	assert_string_equal(r, "# A {#a}\n\ntext\n\n## B {#b}\n");
	assert_string_equal(r2, "# A {#a}\n\ntext\n");
	free(r);
	free(r2);
}

static void test_insert_after_whole_span(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_INSERT_AFTER, .id = "privacy", .new_id = "harm",
			   .heading = "Avoid harm", .body = "First, do no harm.\n" };
	char *r = apply_ok(base_text, &e, 1, "charter privacy exceptions harm honesty");
	const char *at = strstr(base_text, "## Honesty");
	charter *c = parse(r);

	(void)state;
	assert_non_null(strstr(r, "Imminent harm.\n\n## Avoid harm {#harm}\n\nFirst, do no harm.\n"
				  "\n## Honesty\n"));
	assert_prefix_suffix(base_text, r, (size_t)(at - base_text), strlen(at));
	assert_int_equal(charter_find(c, "harm")->level, 2);
	assert_int_equal(charter_find(c, "harm")->parent, 0);
	charter_free(c);
	free(r);
}

static void test_insert_at_end_and_levels(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_INSERT_AFTER, .id = "b", .new_id = "c", .level = 3,
			   .heading = "C", .body = "c body" };
	char *r = apply_ok("# A {#a}\r\n\r\n## B {#b}\r\nno final newline", &e, 1, "a b c");
	char *r2 = apply_ok("# A {#a}\n\n## B {#b}\n\nbody\n", &e, 1, "a b c");

	(void)state;
	assert_string_equal(r, "# A {#a}\r\n\r\n## B {#b}\r\nno final newline\r\n\r\n### C {#c}\r\n"
			       "\r\nc body\r\n");
	assert_string_equal(r2, "# A {#a}\n\n## B {#b}\n\nbody\n\n### C {#c}\n\nc body\n");
	free(r);
	free(r2);
}

static void test_delete_whole_span(void **state)
{
	charter_edit e = { .kind = CHARTER_EDIT_DELETE, .id = "privacy" };
	char *r = apply_ok(base_text, &e, 1, "charter honesty");
	const char *from = strstr(base_text, "## Privacy"), *to = strstr(base_text, "## Honesty");

	(void)state;
	assert_int_equal(strlen(r), strlen(base_text) - (size_t)(to - from));
	assert_prefix_suffix(base_text, r, (size_t)(from - base_text), strlen(to));
	free(r);
}

static void test_edits_apply_in_order(void **state)
{
	charter_edit e[] = {
		{ .kind = CHARTER_EDIT_INSERT_AFTER, .id = "honesty", .new_id = "care",
		  .heading = "Care", .body = "draft" },
		{ .kind = CHARTER_EDIT_REPLACE, .id = "care", .body = "Care for people." },
		{ .kind = CHARTER_EDIT_DELETE, .id = "exceptions" },
		{ .kind = CHARTER_EDIT_INSERT_AFTER, .id = "privacy", .new_id = "exceptions",
		  .level = 3, .heading = "Exceptions", .body = "Only with consent." },
	};
	char *r = apply_ok(base_text, e, 4, "charter privacy exceptions honesty care");

	(void)state;
	assert_non_null(strstr(r, "## Care {#care}\n\nCare for people.\n"));
	assert_null(strstr(r, "draft"));
	assert_null(strstr(r, "Imminent"));
	assert_non_null(strstr(r, "### Exceptions {#exceptions}\n\nOnly with consent.\n\n## Honesty"));
	free(r);
}

static void test_no_edits_is_identity(void **state)
{
	char *r = apply_ok(base_text, NULL, 0, "charter privacy exceptions honesty");

	(void)state;
	assert_string_equal(r, base_text);
	free(r);
}

static void test_errors_name_the_id(void **state)
{
	const char *dup = "# A {#x}\n\n# B {#x}\n";
	charter_edit e;

	(void)state;
	e = (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = "nope", .body = "x" };
	apply_fails(base_text, &e, 1, "no principle has id 'nope'");
	e = (charter_edit){ .kind = CHARTER_EDIT_DELETE, .id = "x" };
	apply_fails(dup, &e, 1, "id 'x' is used twice (lines 1 and 3)");
	e = (charter_edit){ .kind = CHARTER_EDIT_INSERT_AFTER, .id = "privacy", .new_id = "bad id",
			    .heading = "H", .body = "b" };
	apply_fails(base_text, &e, 1, "new id 'bad id' is not valid");
	e.new_id = "honesty";
	apply_fails(base_text, &e, 1, "new id 'honesty' already exists (line 13)");
	e.new_id = "fresh";
	e.body = " \n\t\n";
	apply_fails(base_text, &e, 1, "the body of new principle 'fresh' is empty");
	e.body = "b";
	e.heading = "  ";
	apply_fails(base_text, &e, 1, "the heading of new principle 'fresh' is empty");
	e.heading = "two\nlines";
	apply_fails(base_text, &e, 1, "must be one line");
	e.heading = "H";
	e.level = 7;
	apply_fails(base_text, &e, 1, "level 7 of 'fresh' is outside 1..6");
	e = (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = "privacy" };
	apply_fails(base_text, &e, 1, "edit 1 (replace 'privacy'): nothing to replace");
	e.body = "";
	apply_fails(base_text, &e, 1, "the new body of 'privacy' is empty");
	e = (charter_edit){ .kind = CHARTER_EDIT_DELETE, .id = NULL };
	apply_fails(base_text, &e, 1, "no target id given");
	e = (charter_edit){ .kind = (charter_edit_kind)42, .id = "privacy" };
	apply_fails(base_text, &e, 1, "unknown edit kind 42");
}

static void test_a_later_failure_applies_nothing(void **state)
{
	charter_edit e[] = {
		{ .kind = CHARTER_EDIT_DELETE, .id = "honesty" },
		{ .kind = CHARTER_EDIT_REPLACE, .id = "honesty", .body = "gone already" },
	};

	(void)state;
	apply_fails(base_text, e, 2, "edit 2 (replace 'honesty'): no principle has id 'honesty'");
}

static void test_results_that_change_structure_are_refused(void **state)
{
	charter_edit e;

	(void)state;
	/* a body must not smuggle in headings, setext ones included */
	e = (charter_edit){ .kind = CHARTER_EDIT_REPLACE, .id = "privacy",
			    .body = "text\n## Sneaky {#sneaky}\n" };
	apply_fails(base_text, &e, 1, "a body must not contain headings");
	e.body = "text\n---\n";
	apply_fails(base_text, &e, 1, "edit 1 (replace 'privacy')");
	/* an unclosed fence would swallow the following principles */
	e.body = "```\ncode\n";
	apply_fails(base_text, &e, 1, "would be lost");
	/* a heading markdown would read differently */
	e = (charter_edit){ .kind = CHARTER_EDIT_INSERT_AFTER, .id = "honesty", .new_id = "n",
			    .heading = "Issue #", .body = "b" };
	apply_fails(base_text, &e, 1, "the heading of 'n' would read 'Issue'");
	/* deleting the first of two implicit "Dup"s would rename the second */
	e = (charter_edit){ .kind = CHARTER_EDIT_DELETE, .id = "dup" };
	apply_fails("# Dup\n\nx\n\n# Dup\n\ny\n", &e, 1, "run `codicil fmt` first");
	/* deleting must not glue a paragraph onto a setext heading */
	e = (charter_edit){ .kind = CHARTER_EDIT_DELETE, .id = "a" };
	apply_fails("Intro\n## A {#a}\n\nbody\n\nNext {#n}\n===\n", &e, 1,
		    "the heading of 'n' would read 'Intro Next'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_body),
		cmocka_unit_test(test_replace_heading_keeps_attributes_and_id),
		cmocka_unit_test(test_replace_heading_pins_implicit_id),
		cmocka_unit_test(test_replace_setext_and_crlf),
		cmocka_unit_test(test_replace_heading_of_unusual_headings),
		cmocka_unit_test(test_replace_heading_of_an_empty_title),
		cmocka_unit_test(test_replace_body_where_there_was_none),
		cmocka_unit_test(test_insert_after_whole_span),
		cmocka_unit_test(test_insert_at_end_and_levels),
		cmocka_unit_test(test_delete_whole_span),
		cmocka_unit_test(test_edits_apply_in_order),
		cmocka_unit_test(test_no_edits_is_identity),
		cmocka_unit_test(test_errors_name_the_id),
		cmocka_unit_test(test_a_later_failure_applies_nothing),
		cmocka_unit_test(test_results_that_change_structure_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
