/* test_tui_keys.c — the TUI's key names, its keymap with git config
 * overrides (a real repository, written with the git CLI), the
 * display-width arithmetic every view draws with, and the reflow of
 * markdown paragraphs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <locale.h>
#include <string.h>

#include "../../src/tui/app.h"
#include "../../src/tui/keymap.h"
#include "../support/tmpgit.h"
#include "codicil/config.h"
#include "codicil/store.h"

static int key(const char *name)
{
	int k = -2;

	assert_int_equal(tui_key_parse(name, &k), 0);
	return k;
}

static void test_key_names(void **state)
{
	static const char *const bad[] = { "", "jj", "C-1", "C-", "F0", "F13", "enter", "\x01",
					   "\xe6\xbc", "Ctrl-n" };
	char name[32];
	int k;

	assert_int_equal(key("j"), 'j');
	assert_int_equal(key("N"), 'N');
	assert_int_equal(key("C-n"), 14);
	assert_int_equal(key("C-N"), 14);
	assert_int_equal(key("Enter"), '\n');
	assert_int_equal(key("Space"), ' ');
	assert_int_equal(key("Esc"), 27);
	assert_int_equal(key("F5"), TUI_KEY_FN | KEY_F(5));
	assert_int_equal(key("PgDn"), TUI_KEY_FN | KEY_NPAGE);
	assert_int_equal(key("漢"), 0x6f22);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(tui_key_parse(bad[i], &k), -1);
	/* every default key of the action table names itself back */
	for (int a = 0; a < ACT_COUNT; a++) {
		char keys[64], *save = NULL;
		snprintf(keys, sizeof keys, "%s", tui_actions[a].keys);
		for (char *t = strtok_r(keys, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			tui_key_name(key(t), name, sizeof name);
			assert_string_equal(name, t);
		}
	}
}

static void test_curses_keys_normalised(void **state)
{
	assert_int_equal(tui_key_from_curses(OK, '\r'), '\n');
	assert_int_equal(tui_key_from_curses(KEY_CODE_YES, KEY_ENTER), '\n');
	assert_int_equal(tui_key_from_curses(OK, 127), TUI_KEY_FN | KEY_BACKSPACE);
	assert_int_equal(tui_key_from_curses(KEY_CODE_YES, KEY_UP), TUI_KEY_FN | KEY_UP);
	assert_int_equal(tui_key_from_curses(OK, 0x6f22), 0x6f22);
}

static void test_defaults_without_config(void **state)
{
	tui_keymap km;
	char keys[64];

	assert_int_equal(tui_keymap_load(&km, NULL, NULL), 0);
	assert_int_equal(tui_keymap_lookup(&km, 'j'), ACT_DOWN);
	assert_int_equal(tui_keymap_lookup(&km, TUI_KEY_FN | KEY_DOWN), ACT_DOWN);
	assert_int_equal(tui_keymap_lookup(&km, 'n'), ACT_SEARCH_NEXT);
	assert_int_equal(tui_keymap_lookup(&km, 'x'), ACT_REJECT);
	assert_int_equal(tui_keymap_lookup(&km, 'y'), ACT_ACCEPT);
	assert_int_equal(tui_keymap_lookup(&km, 'z'), ACT_NONE);
	tui_keymap_keys(&km, ACT_HELP, keys, sizeof keys);
	assert_string_equal(keys, "? F1");
	/* no key is bound twice */
	for (size_t i = 0; i < km.n; i++)
		for (size_t k = i + 1; k < km.n; k++)
			assert_int_not_equal(km.b[i].key, km.b[k].key);
	tui_keymap_clear(&km);
}

static void test_config_overrides(void **state)
{
	cd_buf warn = CD_BUF_INIT;
	tui_keymap km;
	char keys[64];
	store *s;
	config *cfg;

	assert_int_equal(tg_sh("git init -q -b main %s && "
			       "git -C %s config codicil.key.down 'C-n x' && "
			       "git -C %s config codicil.key.help 'bogus F2'",
			       tg_path("r"), tg_path("r"), tg_path("r")), 0);
	assert_int_equal(store_open(tg_path("r"), &s), 0);
	assert_int_equal(config_open(s, &cfg), 0);
	assert_int_equal(tui_keymap_load(&km, cfg, &warn), 0);
	assert_int_equal(tui_keymap_lookup(&km, 14), ACT_DOWN);
	assert_int_equal(tui_keymap_lookup(&km, 'j'), ACT_NONE);  /* replaced, not added */
	assert_int_equal(tui_keymap_lookup(&km, 'x'), ACT_DOWN);  /* taken from reject */
	tui_keymap_keys(&km, ACT_REJECT, keys, sizeof keys);
	assert_string_equal(keys, "");
	tui_keymap_keys(&km, ACT_HELP, keys, sizeof keys);
	assert_string_equal(keys, "F2");
	assert_non_null(strstr(cd_buf_cstr(&warn), "codicil.key.help: unknown key name 'bogus'"));
	tui_keymap_clear(&km);
	cd_buf_clear(&warn);
	config_free(cfg);
	store_close(s);
}

static void test_display_width(void **state)
{
	const char *s = "漢字ab";
	int w;

	assert_int_equal(tui_width(s, strlen(s)), 6);
	/* 3 columns hold one wide character, never half of the next */
	assert_int_equal(tui_fit(s, strlen(s), 3, 0, &w), 3);
	assert_int_equal(w, 2);
	assert_int_equal(tui_fit(s, strlen(s), 5, 0, &w), 7);
	assert_int_equal(w, 5);
	/* tabs go to the next 8-column stop */
	assert_int_equal(tui_width("a\tb", 3), 9);
	/* invalid UTF-8 and controls take one column each (drawn as U+FFFD) */
	assert_int_equal(tui_width("\xff\x1b", 2), 2);
	/* combining accents take none */
	assert_int_equal(tui_width("e\xcc\x81", 3), 1);
	/* wrapping prefers the end of a word */
	assert_int_equal(tui_fit("hello world", 11, 8, 1, &w), 6);
	assert_int_equal(tui_fit("helloworld", 10, 8, 1, &w), 8);
}

static void check_reflow(const char *in, const char *want)
{
	cd_buf out = CD_BUF_INIT;

	tui_reflow(in, strlen(in), &out);
	assert_string_equal(cd_buf_cstr(&out), want);
	cd_buf_clear(&out);
}

/* The final line break goes: the pane ends the text anyway. */
static void test_reflow(void **state)
{
	check_reflow("one\ntwo  \nthree\n\nfour\n", "one two three\n\nfour");
	check_reflow("- a\n  more\n- b\n1. c\n> q\n| t |\n    code\n# h\n",
		     "- a   more\n- b\n1. c\n> q\n| t |\n    code\n# h");
	check_reflow("x\n```\nkeep\nlines\n```\ny\nz", "x\n```\nkeep\nlines\n```\ny z");
	check_reflow("crlf\r\nline\r\n", "crlf line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_curses_keys_normalised),
		cmocka_unit_test(test_defaults_without_config),
		cmocka_unit_test_setup_teardown(test_config_overrides, tg_setup, tg_teardown),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_reflow),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		fprintf(stderr, "warning: no C.UTF-8 locale; width tests will fail\n");
	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
