/* test_util.c — the util layer: sanitising untrusted text, UTF-8, buffers
 * with a cap, atomic files, canonical JSON, ids, and the journal's repair
 * of a half-written last line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codicil/buf.h"
#include "codicil/error.h"
#include "codicil/file.h"
#include "codicil/id.h"
#include "codicil/journal.h"
#include "codicil/json.h"
#include "codicil/sanitize.h"
#include "codicil/utf8.h"

static char *san(const char *in, size_t len, unsigned flags)
{
	cd_buf b = CD_BUF_INIT;

	assert_int_equal(cd_sanitize(in, len, flags, &b), 0);
	return cd_buf_detach(&b);
}

static void expect_san(const char *in, const char *want, unsigned flags)
{
	char *got = san(in, strlen(in), flags);

	assert_string_equal(got, want);
	free(got);
}

static void test_sanitize_escape_sequences(void **state)
{
	(void)state;
	expect_san("a\x1b[2Jb", "ab", 0);                       /* CSI */
	expect_san("a\x1b[38;5;196mred\x1b[m", "ared", 0);       /* SGR with params */
	expect_san("t\x1b]0;pwned\x07x", "tx", 0);               /* OSC ended by BEL */
	expect_san("t\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "tlink", 0); /* OSC 8, ST */
	expect_san("d\x1bP1$r\x1b\\e", "de", 0);                 /* DCS */
	expect_san("k\x1b" "c", "k", 0);                         /* RIS: two-byte form */
	expect_san("p\x1b(Bq", "pq", 0);                         /* intermediate + final */
	expect_san("x\xc2\x9b" "31my", "xy", 0);                 /* C1 CSI */
	expect_san("x\xc2\x9d" "0;t\x07y", "xy", 0);             /* C1 OSC */
	expect_san("lone\x1b", "lone", 0);
	expect_san("\x1b\x1b[1mz", "z", 0);                      /* ESC ESC [ */
	expect_san("unterminated \x1b]0;title", "unterminated ", 0);
}

static void test_sanitize_controls_and_utf8(void **state)
{
	char *got;

	(void)state;
	expect_san("a\tb\nc\r\n", "a\tb\nc\n", 0);
	expect_san("a\tb\nc", "a b c", CD_SAN_ONE_LINE);
	expect_san("bell\x07 del\x7f", "bell\xef\xbf\xbd del\xef\xbf\xbd", 0);
	expect_san("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0);
	expect_san("bad \xff\xfe ok", "bad \xef\xbf\xbd\xef\xbf\xbd ok", 0);
	expect_san("overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd", 0);
	expect_san("surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0);
	/* NUL bytes inside the length are made visible, not truncating */
	got = san("a\0b", 3, 0);
	assert_string_equal(got, "a\xef\xbf\xbd" "b");
	free(got);
	assert_true(cd_utf8_valid("caf\xc3\xa9", 5));
	assert_false(cd_utf8_valid("\xc3", 1));
}

/* Text kept as data (a journal's raw reply): only what is not UTF-8 goes. */
static void test_utf8_mend(void **state)
{
	static const char in[] = "before \x1b[2J \xff\xfe\xc3( \xc3\xa9 after";
	cd_buf out = CD_BUF_INIT;

	(void)state;
	assert_int_equal(cd_utf8_mend(in, sizeof in - 1, &out), 0);
	assert_string_equal(out.data, "before \x1b[2J \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd( "
				      "\xc3\xa9 after");
	assert_true(cd_utf8_valid(out.data, out.len));
	cd_buf_clear(&out);
}

static void test_utf8_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(cd_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(cd_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(cd_utf8_decode("\xe6\x97\xa5", 3, &cp), 3);
	assert_int_equal(cp, 0x65e5);
	assert_int_equal(cd_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(cd_utf8_decode("\xe6\x97", 2, &cp), 0);     /* truncated */
	assert_int_equal(cd_utf8_decode("\xe0\x80\x80", 3, &cp), 0); /* overlong */
	assert_int_equal(cd_utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(cd_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_int_equal(cd_utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(cd_utf8_chars("caf\xc3\xa9 \xf0\x9f\x98\x80"), 6);
}

/* One check after a run of appends: a failure sticks, the content stays
 * as it was before it, and a reset starts over. */
static void test_buf_failure_sticks(void **state)
{
	cd_buf b = CD_BUF_INIT;

	(void)state;
	b.max = 8;
	assert_int_equal(cd_buf_puts(&b, "abcdef"), 0);
	assert_int_equal(cd_buf_puts(&b, "ghijk"), -1); /* over the cap */
	assert_int_equal(cd_buf_puts(&b, "x"), -1);     /* would fit, but the run failed */
	assert_int_equal(cd_buf_printf(&b, "%d", 1), -1);
	assert_true(cd_buf_failed(&b));
	assert_string_equal(b.data, "abcdef");
	assert_string_equal(cd_err_msg(), "data exceeds the size cap of 8 bytes");
	cd_buf_reset(&b);
	assert_false(cd_buf_failed(&b));
	assert_int_equal(cd_buf_puts(&b, "x"), 0);
	cd_buf_clear(&b);

	/* no buffer is without a cap */
	assert_int_equal(cd_buf_grow(&b, CD_BUF_MAX + 1), -1);
	assert_true(cd_buf_failed(&b));
	assert_null(b.data); /* nothing was allocated for it */
	cd_buf_clear(&b);
}

static void test_buf_cap(void **state)
{
	cd_buf b = CD_BUF_INIT;

	(void)state;
	b.max = 8;
	assert_int_equal(cd_buf_puts(&b, "12345"), 0);
	assert_int_equal(cd_buf_printf(&b, "%d", 678), 0); /* up to the cap exactly */
	assert_string_equal(b.data, "12345678");
	assert_int_equal(cd_buf_putc(&b, 'x'), -1); /* over it: nothing appended */
	assert_string_equal(b.data, "12345678");
	cd_buf_clear(&b);
}

static void test_atomic_files(void **state)
{
	char dir[] = "/tmp/codicil-util.XXXXXX";
	cd_buf path = CD_BUF_INIT, got = CD_BUF_INIT;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	cd_buf_printf(&path, "%s/a/b/c.txt", dir);
	assert_int_equal(cd_file_write_atomic(path.data, "one", 3), 0); /* makes a/b */
	assert_int_equal(cd_file_read(path.data, &got), 0);
	assert_string_equal(got.data, "one");
	chmod(path.data, 0600);
	assert_int_equal(cd_file_replace(path.data, "two!", 4), 0);
	cd_buf_reset(&got);
	assert_int_equal(cd_file_read(path.data, &got), 0);
	assert_string_equal(got.data, "two!");
	assert_int_equal(stat(path.data, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* the mode survives a replace */
	assert_int_equal(cd_remove_tree(dir), 0);
	assert_false(cd_dir_exists(dir));
	cd_buf_clear(&path);
	cd_buf_clear(&got);
}

static void test_json_canonical_and_print(void **state)
{
	cJSON *j = cJSON_Parse("{\"b\":1,\"a\":{\"z\":[3,{\"y\":1,\"x\":2}],\"c\":true}}");
	cJSON *c = cd_json_canonical(j);
	cd_buf out = CD_BUF_INIT;

	(void)state;
	assert_int_equal(cd_json_print_compact(c, &out), 0);
	assert_string_equal(out.data, "{\"a\":{\"c\":true,\"z\":[3,{\"x\":2,\"y\":1}]},\"b\":1}");
	cd_buf_reset(&out);
	assert_int_equal(cd_json_print(j, &out), 0);
	assert_non_null(strstr(out.data, "\n  \"a\": {")); /* two spaces, a space after ':' */
	assert_null(strchr(out.data, '\t'));
	cJSON_Delete(j);
	cJSON_Delete(c);
	cd_buf_clear(&out);
}

static void test_ids(void **state)
{
	char a[CD_ID_SIZE], b[CD_ID_SIZE];

	(void)state;
	cd_id_new('c', a);
	cd_id_new('c', b);
	assert_true(cd_id_valid(a));
	assert_int_equal(strlen(a), 20);
	assert_true(strcmp(a, b) < 0); /* sortable by creation */
	assert_false(cd_id_valid("c-UPPERCASE00000000"));
	assert_false(cd_id_valid("c-short"));
}

static void test_journal_cuts_a_half_written_line(void **state)
{
	char path[] = "/tmp/codicil-journal.XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "{\"request\":\"a\",\"status\":\"ok\"}\nnot json\n{\"request\":\"b\",\"sta";
	journal jn;
	cd_buf got = CD_BUF_INIT;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	assert_int_equal(journal_open(path, &jn), 0);
	assert_int_equal(jn.n, 1);
	assert_int_equal(jn.skipped, 1);
	assert_non_null(journal_last(&jn, "a"));
	assert_null(journal_last(&jn, "b"));
	assert_int_equal(journal_append(&jn, cJSON_Parse("{\"request\":\"b\",\"status\":\"error\"}")), 0);
	journal_clear(&jn);
	assert_int_equal(cd_file_read(path, &got), 0);
	assert_string_equal(got.data, "{\"request\":\"a\",\"status\":\"ok\"}\nnot json\n"
				      "{\"request\":\"b\",\"status\":\"error\"}\n");
	unlink(path);
	cd_buf_clear(&got);
}

/* Two runs on one journal (two terminals resuming the same run): the
 * second is refused at once; the first one's end frees it. */
static void test_journal_is_held_by_one_run(void **state)
{
	char path[] = "/tmp/codicil-journal.XXXXXX";
	int fd = mkstemp(path);
	journal a, b;
	char expected[128];

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(journal_open(path, &a), 0);
	assert_int_equal(journal_lock(&a), 0);
	assert_int_equal(journal_open(path, &b), 0); /* reading it is fine */
	assert_int_equal(journal_lock(&b), -1);
	snprintf(expected, sizeof expected, "journal %s is in use by another run; wait for it to end",
		 path);
	assert_string_equal(cd_err_msg(), expected);
	assert_int_equal(journal_append(&a, cJSON_Parse("{\"request\":\"a\"}")), 0);
	journal_clear(&a);
	assert_int_equal(journal_lock(&b), 0);
	journal_clear(&b);
	unlink(path);
}

/* Only regular files, and no more than a capped buffer holds: a cassette
 * named /dev/zero once read until memory ran out. */
static void test_file_read_refuses_devices_and_caps(void **state)
{
	cd_buf b = CD_BUF_INIT, small = { .max = 4 };

	(void)state;
	assert_int_equal(cd_file_read("/dev/zero", &b), -1);
	assert_non_null(strstr(cd_err_msg(), "/dev/zero: not a regular file"));
	assert_int_equal(b.len, 0);
	assert_int_equal(cd_file_read("Makefile", &small), -1);
	assert_non_null(strstr(cd_err_msg(), "Makefile: larger than 4 bytes"));
	cd_buf_clear(&b);
	cd_buf_clear(&small);
}

/* Numbers from files and models, converted without undefined behaviour
 * (the fuzzers found 8.9e13 as a severity and 2.7e29 as a token count). */
static void test_json_numbers_are_clamped(void **state)
{
	cJSON *o = cJSON_Parse("{\"big\": 8.9e13, \"huge\": 2.7e29, \"neg\": -1e300, \"n\": 3.7,"
			       " \"s\": \"7\"}");

	(void)state;
	assert_int_equal(cd_json_int(o, "big", 0), INT_MAX);
	assert_int_equal(cd_json_int(o, "neg", 0), INT_MIN);
	assert_int_equal(cd_json_int(o, "n", 0), 3);
	assert_int_equal(cd_json_int(o, "s", -1), -1);
	assert_int_equal(cd_json_int(o, "missing", 5), 5);
	assert_true(cd_json_long(o, "huge", 0) > 9000000000000000000L);
	assert_true(cd_json_long(o, "neg", 0) < -9000000000000000000L);
	cJSON_Delete(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_read_refuses_devices_and_caps),
		cmocka_unit_test(test_json_numbers_are_clamped),
		cmocka_unit_test(test_sanitize_escape_sequences),
		cmocka_unit_test(test_sanitize_controls_and_utf8),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_failure_sticks),
		cmocka_unit_test(test_atomic_files),
		cmocka_unit_test(test_json_canonical_and_print),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_utf8_mend),
		cmocka_unit_test(test_journal_cuts_a_half_written_line),
		cmocka_unit_test(test_journal_is_held_by_one_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
