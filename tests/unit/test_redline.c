/* test_redline.c — word-level redline and unified line diff.
 *
 * Unified diffs are checked against fixed strings and against what the
 * real `git diff --no-index` prints for the same two files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codicil/buf.h"
#include "codicil/file.h"
#include "codicil/redline.h"

static int setup(void **state)
{
	git_libgit2_init();
	return 0;
}

static int teardown(void **state)
{
	git_libgit2_shutdown();
	return 0;
}

/* The plain rendering of the redline from a to b. */
static char *plain(const char *a, const char *b, int context)
{
	redline r;
	cd_buf out = CD_BUF_INIT;

	assert_int_equal(redline_compute(a, strlen(a), b, strlen(b), &r), 0);
	assert_int_equal(redline_render_plain(&r, context, &out), 0);
	redline_clear(&r);
	return cd_buf_detach(&out);
}

static void check_plain(const char *a, const char *b, int context, const char *want)
{
	char *got = plain(a, b, context);

	assert_string_equal(got, want);
	free(got);
}

/* Every segment points into the right text, ops alternate, and the EQUAL and
 * DELETE segments put together give a back (EQUAL and INSERT give b). */
static void check_invariants(const redline *r, const char *a, const char *b)
{
	cd_buf ra = CD_BUF_INIT, rb = CD_BUF_INIT;

	for (size_t i = 0; i < r->n; i++) {
		const redline_seg *s = &r->seg[i];
		const char *base = s->op == REDLINE_INSERT ? b : a;

		assert_true(s->len > 0);
		assert_true(s->text >= base && s->text + s->len <= base + strlen(base));
		if (i > 0)
			assert_int_not_equal(s->op, r->seg[i - 1].op);
		if (i > 0 && r->seg[i - 1].op == REDLINE_INSERT)
			assert_int_not_equal(s->op, REDLINE_DELETE); /* DELETE comes first */
		if (s->op != REDLINE_INSERT)
			cd_buf_append(&ra, s->text, s->len);
		if (s->op != REDLINE_DELETE)
			cd_buf_append(&rb, s->text, s->len);
	}
	assert_string_equal(cd_buf_cstr(&ra), a);
	assert_string_equal(cd_buf_cstr(&rb), b);
	cd_buf_clear(&ra);
	cd_buf_clear(&rb);
}

static void compute(const char *a, const char *b, redline *r)
{
	assert_int_equal(redline_compute(a, strlen(a), b, strlen(b), r), 0);
	check_invariants(r, a, b);
}

static void test_equal_texts(void **state)
{
	const char *t = "# Charter\n\nBe honest, always.\n";
	redline r;
	cd_buf out = CD_BUF_INIT;
	cJSON *j;

	compute(t, t, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.seg[0].op, REDLINE_EQUAL);
	assert_int_equal(r.deleted_words, 0);
	assert_int_equal(r.inserted_words, 0);
	assert_int_equal(redline_render_plain(&r, -1, &out), 0);
	assert_string_equal(cd_buf_cstr(&out), t);
	cd_buf_reset(&out);
	assert_int_equal(redline_render_plain(&r, 3, &out), 0);
	assert_string_equal(cd_buf_cstr(&out), "");
	j = redline_to_json(&r);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "hunks")), 0);
	cJSON_Delete(j);
	redline_clear(&r);
	cd_buf_clear(&out);
}

static void test_single_word_replaced(void **state)
{
	const char *a = "The model must refuse harmful requests.\n";
	const char *b = "The model should refuse harmful requests.\n";
	redline r;

	compute(a, b, &r);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.seg[1].op, REDLINE_DELETE);
	assert_ptr_equal(r.seg[1].text, a + 10);
	assert_int_equal(r.seg[1].len, 4);
	assert_int_equal(r.seg[2].op, REDLINE_INSERT);
	assert_ptr_equal(r.seg[2].text, b + 10);
	assert_int_equal(r.deleted_words, 1);
	assert_int_equal(r.inserted_words, 1);
	redline_clear(&r);
	check_plain(a, b, -1, "The model [-must-]{+should+} refuse harmful requests.\n");
}

static void test_adjacent_words_form_one_change(void **state)
{
	check_plain("the quick brown fox\n", "a slow red fox\n", -1,
		    "[-the quick brown-]{+a slow red+} fox\n");
}

static void test_insert_at_start_and_end(void **state)
{
	redline r;

	check_plain("world", "hello world", -1, "{+hello +}world");
	check_plain("Be kind.", "Be kind. Always.", -1, "Be kind.{+ Always.+}");
	compute("Be kind.", "Be kind. Always.", &r);
	assert_int_equal(r.deleted_words, 0);
	assert_int_equal(r.inserted_words, 1);
	redline_clear(&r);
}

static void test_deletion(void **state)
{
	redline r;

	check_plain("Be kind and honest.", "Be honest.", -1, "Be [-kind and -]honest.");
	compute("Be kind and honest.", "Be honest.", &r);
	assert_int_equal(r.deleted_words, 2);
	assert_int_equal(r.inserted_words, 0);
	redline_clear(&r);
	check_plain("one\ntwo\nthree\n", "one\nthree\n", -1, "one\n[-two-]\nthree\n");
}

static void test_punctuation(void **state)
{
	redline r;

	check_plain("Do no harm.", "Do no harm!", -1, "Do no harm[-.-]{+!+}");
	check_plain("first, second", "first second", -1, "first[-,-] second");
	compute("Do no harm.", "Do no harm!", &r);
	assert_int_equal(r.deleted_words, 0); /* punctuation is not a word */
	assert_int_equal(r.inserted_words, 0);
	redline_clear(&r);
}

static void test_whitespace_only(void **state)
{
	redline r;

	check_plain("a  b\n", "a b\n", -1, "a[-  -]{+ +}b\n");
	check_plain("a b\n", "a\tb\n", -1, "a[- -]{+\t+}b\n");
	compute("a  b\n", "a b\n", &r);
	assert_int_equal(r.deleted_words, 0);
	assert_int_equal(r.inserted_words, 0);
	redline_clear(&r);
}

static void test_crlf(void **state)
{
	const char *a = "one\r\ntwo\r\nthree\r\n", *b = "one\r\n2\r\nthree\r\n";
	redline r;

	check_plain(a, b, -1, "one\r\n[-two-]{+2+}\r\nthree\r\n");
	compute(a, b, &r);
	assert_int_equal(r.seg[1].a_line, 2);
	redline_clear(&r);
	/* a change of line endings shows as b's line ending, not as a blank line */
	check_plain("a\r\nb\r\n", "a\nb\n", -1, "a\nb\n");
	check_plain("a\r\nb\r\n", "a\nb\n", 0, "@@ -1 +1 @@\na\nb\n");
}

static void test_utf8_words(void **state)
{
	const char *a = "Le caf\xc3\xa9 est ouvert. \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e ok\n";
	const char *b = "Le cafe est ouvert. \xe6\x97\xa5\xe6\x9c\xac ok\n";
	redline r;

	check_plain(a, b, -1,
		    "Le [-caf\xc3\xa9-]{+cafe+} est ouvert. "
		    "[-\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e-]{+\xe6\x97\xa5\xe6\x9c\xac+} ok\n");
	compute(a, b, &r);
	assert_int_equal(r.deleted_words, 2); /* whole words, never split mid-character */
	assert_int_equal(r.inserted_words, 2);
	redline_clear(&r);
}

static void test_empty_inputs(void **state)
{
	redline r;

	compute("", "", &r);
	assert_int_equal(r.n, 0);
	redline_clear(&r);
	check_plain("", "", -1, "");
	check_plain("", "new text\n", -1, "{+new text+}\n");
	check_plain("old text\n", "", -1, "[-old text-]\n");
	compute("", "new text\n", &r);
	assert_int_equal(r.inserted_words, 2);
	redline_clear(&r);
	assert_int_equal(redline_compute(NULL, 0, "x", 1, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.seg[0].op, REDLINE_INSERT);
	redline_clear(&r);
}

static void test_no_final_newline(void **state)
{
	check_plain("alpha\nbeta", "alpha\ngamma", -1, "alpha\n[-beta-]{+gamma+}");
	check_plain("alpha\nbeta", "alpha\ngamma", 0, "@@ -2 +2 @@\n[-beta-]{+gamma+}\n");
	check_plain("alpha\nbeta", "alpha\nbeta\n", -1, "alpha\nbeta\n");
}

static void test_line_numbers(void **state)
{
	const char *a = "one\ntwo\nthree\nfour\n", *b = "one\nthree\nfour\nfive\n";
	redline r;

	compute(a, b, &r);
	/* EQUAL one, DELETE two, EQUAL three four, INSERT five */
	assert_int_equal(r.n, 4);
	assert_int_equal(r.seg[1].op, REDLINE_DELETE);
	assert_int_equal(r.seg[1].a_line, 2);
	assert_int_equal(r.seg[1].b_line, 2);
	assert_int_equal(r.seg[2].a_line, 3);
	assert_int_equal(r.seg[2].b_line, 2);
	assert_int_equal(r.seg[3].op, REDLINE_INSERT);
	assert_int_equal(r.seg[3].a_line, 5);
	assert_int_equal(r.seg[3].b_line, 4);
	redline_clear(&r);
	check_plain(a, b, -1, "one\n[-two-]\nthree\nfour\n{+five+}\n");
}

static void test_lines_and_paragraphs(void **state)
{
	check_plain("P1.\n\nP3.\n", "P1.\n\nP2.\n\nP3.\n", -1, "P1.\n\n{+P2.+}\n\nP3.\n");
	check_plain("a\nb\n", "a\nnew\nlines\nb\n", -1, "a\n{+new+}\n{+lines+}\nb\n");
	check_plain("keep\nold one\nold two\nkeep\n", "keep\nfresh\nkeep\n", -1,
		    "keep\n[-old one-]\n[-old two-]{+fresh+}\nkeep\n");
	check_plain("joined\nline", "joined line", -1, "joined\n{+ +}line");
}

static void test_context_trimming(void **state)
{
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
	const char *b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\nELEVEN\n12\n";

	check_plain(a, b, 1, "@@ -2 +2 @@\n2\n[-3-]{+three+}\n4\n@@ -10 +10 @@\n10\n[-11-]{+ELEVEN+}\n12\n");
	check_plain(a, b, 0, "@@ -3 +3 @@\n[-3-]{+three+}\n@@ -11 +11 @@\n[-11-]{+ELEVEN+}\n");
	/* contexts that meet merge into one hunk */
	check_plain(a, b, 4, "@@ -1 +1 @@\n1\n2\n[-3-]{+three+}\n4\n5\n6\n7\n8\n9\n10\n"
			     "[-11-]{+ELEVEN+}\n12\n");
	/* a deleted line shifts the line numbers of later hunks */
	check_plain("a\nb\nc\nd\ne\nf\ng\n", "a\nc\nd\ne\nf\nG\n", 0,
		    "@@ -2 +2 @@\n[-b-]\n@@ -7 +6 @@\n[-g-]{+G+}\n");
}

static void test_color(void **state)
{
	redline r;
	cd_buf out = CD_BUF_INIT;

	compute("keep old words\nnext\n", "keep new words\nnext\n", &r);
	assert_int_equal(redline_render_color(&r, -1, &out), 0);
	assert_string_equal(cd_buf_cstr(&out), "keep \033[9;31mold\033[m\033[32mnew\033[m words\nnext\n");
	cd_buf_reset(&out);
	assert_int_equal(redline_render_color(&r, 0, &out), 0);
	assert_string_equal(cd_buf_cstr(&out),
			    "\033[36m@@ -1 +1 @@\033[m\nkeep \033[9;31mold\033[m\033[32mnew\033[m words\n");
	redline_clear(&r);
	/* colours close before a line break and escape sequences in the text are removed */
	cd_buf_reset(&out);
	compute("x\n", "x\nevil\033[2Jline\nmore\n", &r);
	assert_int_equal(redline_render_color(&r, -1, &out), 0);
	assert_string_equal(cd_buf_cstr(&out), "x\n\033[32mevilline\033[m\n\033[32mmore\033[m\n");
	redline_clear(&r);
	cd_buf_clear(&out);
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static int json_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(v));
	return v->valueint;
}

static void test_json(void **state)
{
	const char *a = "Intro line.\nThe assistant must always refuse to share private data today.\nEnd.\n";
	const char *b = "Intro line.\nThe assistant should always refuse to share private data today.\nEnd!\n";
	redline r;
	cJSON *j, *hunks, *h;

	compute(a, b, &r);
	j = redline_to_json(&r);
	assert_non_null(j);
	assert_int_equal(json_int(j, "deleted_words"), 1);
	assert_int_equal(json_int(j, "inserted_words"), 1);
	hunks = cJSON_GetObjectItem(j, "hunks");
	assert_true(cJSON_IsArray(hunks));
	assert_int_equal(cJSON_GetArraySize(hunks), 2);
	h = cJSON_GetArrayItem(hunks, 0);
	assert_int_equal(json_int(h, "a_line"), 2);
	assert_int_equal(json_int(h, "b_line"), 2);
	assert_string_equal(json_str(h, "delete"), "must");
	assert_string_equal(json_str(h, "insert"), "should");
	assert_string_equal(json_str(h, "before"), "The assistant ");
	/* at most five words, and never past the end of the line */
	assert_string_equal(json_str(h, "after"), " always refuse to share private");
	h = cJSON_GetArrayItem(hunks, 1);
	assert_int_equal(json_int(h, "a_line"), 3);
	assert_string_equal(json_str(h, "delete"), ".");
	assert_string_equal(json_str(h, "insert"), "!");
	assert_string_equal(json_str(h, "before"), "End");
	assert_string_equal(json_str(h, "after"), "");
	cJSON_Delete(j);
	redline_clear(&r);

	compute("one two three four five six seven X", "one two three four five six seven Y", &r);
	j = redline_to_json(&r);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hunks"), 0);
	assert_string_equal(json_str(h, "before"), "three four five six seven ");
	cJSON_Delete(j);
	redline_clear(&r);
}

static void check_unified(const char *a, const char *b, int color, const char *want)
{
	cd_buf out = CD_BUF_INIT;

	assert_int_equal(redline_unified(a, strlen(a), b, strlen(b), "CONSTITUTION.md", color, &out), 0);
	assert_string_equal(cd_buf_cstr(&out), want);
	cd_buf_clear(&out);
}

static void test_unified_fixed(void **state)
{
	cd_buf out = CD_BUF_INIT;

	check_unified("alpha\nbeta\ngamma\n", "alpha\nBETA\ngamma\n", 0,
		      "--- a/CONSTITUTION.md\n+++ b/CONSTITUTION.md\n"
		      "@@ -1,3 +1,3 @@\n alpha\n-beta\n+BETA\n gamma\n");
	check_unified("alpha\nbeta", "alpha\nbeta\ndelta", 0,
		      "--- a/CONSTITUTION.md\n+++ b/CONSTITUTION.md\n"
		      "@@ -1,2 +1,3 @@\n alpha\n-beta\n\\ No newline at end of file\n+beta\n+delta\n"
		      "\\ No newline at end of file\n");
	check_unified("a\nold\n", "a\nnew\n", 1,
		      "\033[1m--- a/CONSTITUTION.md\033[m\n\033[1m+++ b/CONSTITUTION.md\033[m\n"
		      "\033[36m@@ -1,2 +1,2 @@\033[m\n a\033[m\n\033[31m-old\033[m\n"
		      "\033[32m+\033[m\033[32mnew\033[m\n");
	/* equal texts append nothing */
	cd_buf_puts(&out, "kept");
	assert_int_equal(redline_unified("same\n", 5, "same\n", 5, "x", 0, &out), 0);
	assert_string_equal(cd_buf_cstr(&out), "kept");
	cd_buf_clear(&out);
}

/* What `git diff --no-index` prints for the two texts, from the first hunk. */
static char *real_git_diff(const char *a, const char *b, int color)
{
	char dir[] = "/tmp/test_redline.XXXXXX", path[256], cmd[1024], chunk[4096];
	cd_buf out = CD_BUF_INIT;
	const char *hunk;
	char *result;
	FILE *p;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/old", dir);
	assert_int_equal(cd_file_write_atomic(path, a, strlen(a)), 0);
	snprintf(path, sizeof(path), "%s/new", dir);
	assert_int_equal(cd_file_write_atomic(path, b, strlen(b)), 0);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && HOME=%s GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
		 "git diff --no-index --no-ext-diff %s old new", dir, dir,
		 color ? "--color=always" : "--no-color");
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		cd_buf_append(&out, chunk, n);
	pclose(p);
	assert_int_equal(cd_remove_tree(dir), 0);
	hunk = strstr(cd_buf_cstr(&out), color ? "\033[36m@@" : "\n@@");
	assert_non_null(hunk);
	result = strdup(hunk + (color ? 0 : 1));
	if (color) /* coloured output is sanitised: no carriage returns */
		for (char *r = result, *w = result;; r++)
			if (*r != '\r' && !(*w++ = *r))
				break;
	cd_buf_clear(&out);
	return result;
}

static void check_like_git(const char *a, const char *b, int color)
{
	cd_buf out = CD_BUF_INIT;
	const char *head = color ? "\033[1m--- a/f.md\033[m\n\033[1m+++ b/f.md\033[m\n"
				 : "--- a/f.md\n+++ b/f.md\n";
	char *want = real_git_diff(a, b, color);

	assert_int_equal(redline_unified(a, strlen(a), b, strlen(b), "f.md", color, &out), 0);
	assert_memory_equal(cd_buf_cstr(&out), head, strlen(head));
	assert_string_equal(cd_buf_cstr(&out) + strlen(head), want);
	free(want);
	cd_buf_clear(&out);
}

static void test_unified_like_git(void **state)
{
	static const char *const pairs[][2] = {
		{ "a\nb\nc\n", "a\nB\nc\n" },
		{ "", "first line\nsecond\n" },
		{ "only line\n", "" },
		{ "no final\nnewline", "no final\nnewline here" },
		{ "one\r\ntwo\r\n", "one\r\n2\r\n" },
		{ "Intro\n\nsection one\n1\n2\n3\n4\n5\n6\n7\nold\n\n",
		  "Intro\n\nsection one\n1\n2\n3\n4\n5\n6\n7\nnew\n\n\nadded\n" },
		{ "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
		  "1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\nFIFTEEN\n16\n" },
		{ "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\nx\n4\n5\n6\n7\ny\n9\n" },
		{ "## Be honest {#honest}\n\n- never lie\n\t- indented\n",
		  "## Be honest {#honest}\n\n- never lie\n- never mislead\n\t- indented\n" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		check_like_git(pairs[i][0], pairs[i][1], 0);
		check_like_git(pairs[i][0], pairs[i][1], 1);
	}
}

/* A long text with edits sprinkled through: the redline is exact. */
static void test_large_text(void **state)
{
	cd_buf a = CD_BUF_INIT, b = CD_BUF_INIT;
	redline r;
	size_t changes = 0;

	for (int i = 0; i < 5000; i++) {
		cd_buf_printf(&a, "Line %d says the model should be helpful.\n", i);
		if (i % 100 == 7) {
			cd_buf_printf(&b, "Line %d says the model must be helpful.\n", i);
			changes++;
		} else {
			cd_buf_printf(&b, "Line %d says the model should be helpful.\n", i);
		}
	}
	compute(a.data, b.data, &r);
	assert_int_equal(r.deleted_words, changes);
	assert_int_equal(r.inserted_words, changes);
	assert_int_equal(r.n, 3 * changes + 1);
	assert_int_equal(r.seg[1].a_line, 8);
	redline_clear(&r);
	cd_buf_clear(&a);
	cd_buf_clear(&b);
}

/* Long runs of changed lines: diffed line by line when the counts match
 * (every line converted from CRLF here), replaced whole when they do not. */
static void test_large_blocks(void **state)
{
	cd_buf a = CD_BUF_INIT, b = CD_BUF_INIT;
	redline r;

	for (int i = 0; i < 10000; i++) {
		cd_buf_printf(&a, "old line %d\r\n", i);
		cd_buf_printf(&b, "new line %d\n", i);
	}
	compute(a.data, b.data, &r);
	assert_int_equal(r.deleted_words, 10000);
	assert_int_equal(r.inserted_words, 10000);
	assert_int_equal(r.seg[0].op, REDLINE_DELETE);
	assert_int_equal(r.seg[0].len, 3);
	redline_clear(&r);

	cd_buf_reset(&a);
	cd_buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		cd_buf_printf(&a, "alpha %d\n", i);
	for (int i = 0; i < 9000; i++)
		cd_buf_printf(&b, "beta %d gamma\n", i);
	compute(a.data, b.data, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.deleted_words, 20000);
	assert_int_equal(r.inserted_words, 27000);
	redline_clear(&r);
	cd_buf_clear(&a);
	cd_buf_clear(&b);
}

static int is_set(const void *lines, size_t i)
{
	return ((const int *)lines)[i];
}

/* The grouping both renderers share, as diff -U2 groups: changes whose
 * context would touch or meet share a hunk, the edges are clamped. */
static void test_hunk_grouping(void **state)
{
	int apart[20] = { [2] = 1, [9] = 1 }, close[20] = { [2] = 1, [7] = 1 },
	    edge[6] = { [0] = 1, [5] = 1 }, none[4] = { 0 };
	size_t next = 0, first, last;

	(void)state;
	assert_int_equal(redline_next_hunk(&next, 20, 2, is_set, apart, &first, &last), 1);
	assert_int_equal(first, 0);
	assert_int_equal(last, 4);
	assert_int_equal(redline_next_hunk(&next, 20, 2, is_set, apart, &first, &last), 1);
	assert_int_equal(first, 7);
	assert_int_equal(last, 11);
	assert_int_equal(redline_next_hunk(&next, 20, 2, is_set, apart, &first, &last), 0);

	next = 0; /* 2 and 7: their context (4 and 5) touches */
	assert_int_equal(redline_next_hunk(&next, 20, 2, is_set, close, &first, &last), 1);
	assert_int_equal(first, 0);
	assert_int_equal(last, 9);
	assert_int_equal(redline_next_hunk(&next, 20, 2, is_set, close, &first, &last), 0);

	next = 0;
	assert_int_equal(redline_next_hunk(&next, 6, 0, is_set, edge, &first, &last), 1);
	assert_int_equal(first, 0);
	assert_int_equal(last, 0);
	assert_int_equal(redline_next_hunk(&next, 6, 0, is_set, edge, &first, &last), 1);
	assert_int_equal(first, 5);
	assert_int_equal(last, 5);

	next = 0;
	assert_int_equal(redline_next_hunk(&next, 4, 3, is_set, none, &first, &last), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_texts),
		cmocka_unit_test(test_single_word_replaced),
		cmocka_unit_test(test_adjacent_words_form_one_change),
		cmocka_unit_test(test_insert_at_start_and_end),
		cmocka_unit_test(test_deletion),
		cmocka_unit_test(test_punctuation),
		cmocka_unit_test(test_whitespace_only),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_utf8_words),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_hunk_grouping),
		cmocka_unit_test(test_lines_and_paragraphs),
		cmocka_unit_test(test_context_trimming),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_unified_fixed),
		cmocka_unit_test(test_unified_like_git),
		cmocka_unit_test(test_large_text),
		cmocka_unit_test(test_large_blocks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
