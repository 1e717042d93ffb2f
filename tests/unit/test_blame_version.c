/* test_blame_version.c — blame's shortcut: a charter version derived from
 * its neighbour must be exactly what parsing it gives (same ids, same
 * spans), and the shortcut must be taken where the change is plain body
 * text and refused where the block structure could change. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "../../src/engine/blame_int.h"
#include "../support/tmpgit.h"

static git_repository *repo;

static int setup(void **state)
{
	tg_setup(state);
	return git_repository_init(&repo, tg_path("r"), 0);
}

static int teardown(void **state)
{
	git_repository_free(repo);
	return tg_teardown(state);
}

static git_blob *blob_of(const char *text)
{
	git_oid oid;
	git_blob *b = NULL;

	assert_int_equal(git_blob_create_from_buffer(&oid, repo, text, strlen(text)), 0);
	assert_int_equal(git_blob_lookup(&b, repo, &oid), 0);
	return b;
}

/* Derive `older` from `newer`; when derived, it must equal a parse.
 * Returns whether the shortcut was taken. */
static int derive_checked(const char *newer, const char *older)
{
	blame_version from, derived, parsed;
	git_blob *b = blob_of(older);
	int rc;

	assert_int_equal(blame_version_parse(&from, blob_of(newer), "C.md"), 0);
	rc = blame_version_derive(&derived, &from, b);
	assert_true(rc == 0 || rc == 1);
	if (rc == 0)
		git_blob_free(b);
	assert_int_equal(blame_version_parse(&parsed, blob_of(older), "C.md"), 0);
	if (rc == 1) {
		const charter *dc = derived.shape->c, *pc = parsed.shape->c;
		if (dc->n != pc->n)
			fail_msg("derived %zu principles, parsing finds %zu:\n%s", dc->n, pc->n, older);
		for (size_t i = 0; i < pc->n; i++) {
			assert_string_equal(dc->p[i].id, pc->p[i].id);
			assert_int_equal(derived.start[i], parsed.start[i]);
			assert_int_equal(derived.heading_end[i], parsed.heading_end[i]);
			assert_int_equal(derived.body_end[i], parsed.body_end[i]);
		}
		blame_version_clear(&derived);
	}
	blame_version_clear(&parsed);
	blame_version_clear(&from);
	return rc;
}

static const char doc[] =
	"Preamble words.\n"
	"\n"
	"# Top {#top}\n"
	"\n"
	"Intro text.\n"
	"\n"
	"## Alpha {#alpha}\n"
	"\n"
	"Alpha body line.\n"
	"Second alpha line.\n"
	"\n"
	"## Beta {#beta}\n"
	"\n"
	"Beta body.\n"
	"\n"
	"## Comment {#comment}\n"
	"\n"
	"<!--\n"
	"note one -->\n"
	"\n"
	"## Gamma {#gamma}\n"
	"\n"
	"Gamma body -->\n"
	"\n"
	"## Refs {#refs}\n"
	"\n"
	"[x]: /url 'title\n"
	"more'\n"
	"===\n"
	"\n"
	"## Quote {#quote}\n"
	"\n"
	"> quoted\n"
	"lazy line\n"
	"\n"
	"Plain line before.\n"
	"para here\n"
	"\n"
	"## Last {#last}\n"
	"\n"
	"Final line without newline";

/* doc with the first occurrence of a replaced by b */
static char *edited(const char *a, const char *b)
{
	static char out[4096];
	const char *at = strstr(doc, a);

	assert_non_null(at);
	snprintf(out, sizeof out, "%.*s%s%s", (int)(at - doc), doc, b, at + strlen(a));
	return out;
}

static void test_plain_body_changes_are_derived(void **state)
{
	/* both directions: either text may be the newer one */
	static const char *const pairs[][2] = {
		{ "Intro text.", "Intro words, longer now." },
		{ "Second alpha line.", "Second alpha line.\nThird alpha line." },
		{ "Beta body.", "Beta" },
		{ "Preamble words.", "Preamble." },
		{ "lazy line", "lazier line here" },
		{ "Final line without newline", "Final words" },
	};

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char newer[4096];
		snprintf(newer, sizeof newer, "%s", edited(pairs[i][0], pairs[i][1]));
		if (!derive_checked(newer, doc) || !derive_checked(doc, newer))
			fail_msg("not derived: '%s' -> '%s'", pairs[i][0], pairs[i][1]);
	}
}

static void test_crlf_and_no_final_newline(void **state)
{
	assert_true(derive_checked("# A {#a}\r\n\r\nOne two.\r\n\r\n# B {#b}\r\n\r\nx",
				   "# A {#a}\r\n\r\nOne three.\r\n\r\n# B {#b}\r\n\r\nx"));
	assert_true(derive_checked("# A {#a}\n\nend", "# A {#a}\n\nend here"));
}

/* Changes that alter the block structure: refused, or (if ever taken)
 * identical to a parse -- derive_checked fails the test otherwise. */
static void test_structural_changes_are_not_derived(void **state)
{
	static const char *const pairs[][2] = {
		/* a fence swallows the following headings */
		{ "Alpha body line.", "```\nAlpha body line." },
		/* the comment no longer ends: Gamma's heading is swallowed */
		{ "note one -->", "note one" },
		/* the reference title ends differently: the underline makes a heading */
		{ "more'", "more" },
		/* a plain line becomes a setext heading's underline target */
		{ "para here", "para here\n---" },
		/* new headings, lists, blank lines */
		{ "Beta body.", "Beta body.\n## New {#new}" },
		{ "Beta body.", "- Beta body." },
		{ "Second alpha line.", "Second alpha line.\n\nMore." },
		/* a heading's own text */
		{ "## Beta {#beta}", "## Better {#beta}" },
	};

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char newer[4096];
		snprintf(newer, sizeof newer, "%s", edited(pairs[i][0], pairs[i][1]));
		if (derive_checked(newer, doc) && i < 4)
			fail_msg("derived although the structure changes: '%s' -> '%s'",
				 pairs[i][0], pairs[i][1]);
		if (derive_checked(doc, newer) && i < 4)
			fail_msg("derived although the structure changes: '%s' -> '%s'",
				 pairs[i][1], pairs[i][0]);
	}
}

static void test_setext_heading_text_is_not_derived(void **state)
{
	/* plain lines, but a heading's: its implicit id follows its text */
	const char *a = "# A {#a}\n\nx\n\nOld title\n=====\n\nbody\n";
	const char *b = "# A {#a}\n\nx\n\nNew title\n=====\n\nbody\n";

	assert_false(derive_checked(a, b));
}

static void test_bom_line_is_not_plain(void **state)
{
	assert_false(derive_checked("\xef\xbb\xbfIntro\n\n# A {#a}\n\nx\n",
				    "\xef\xbb\xbf# Intro\n\n# A {#a}\n\nx\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_body_changes_are_derived, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crlf_and_no_final_newline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_structural_changes_are_not_derived, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_setext_heading_text_is_not_derived, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bom_line_is_not_plain, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
