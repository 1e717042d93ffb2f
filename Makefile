# codicil — constitution amendment workbench
#
#   make              build ./codicil
#   make check        build and run every test (unit, then integration)
#   make check SANITIZE=1   the same under ASan + UBSan
#   make fuzz FUZZ_SECONDS=N   each libFuzzer target for N seconds (clang)
#   make check-exchange   an exported promptfoo config through a real
#                     promptfoo eval (npm install on first use; make
#                     deps-exchange installs nodejs and npm)
#   make check-browser    the published site in headless Chromium
#                     (make deps-browser installs chromium)
#   make bench        print performance figures
#   make bench-scale  the same at 100,000 and 1,000,000 cases (minutes, GBs)
#   make demo         the offline demo
#   make install      PREFIX=/usr/local DESTDIR=
#   make deps         install the Debian packages needed to build and test

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/codicil
CC      ?= cc
VERSION := 0.1.0

PKGS     := libgit2 libcjson libcurl libcmark openssl ncursesw sqlite3 zlib
TESTPKGS := cmocka libmicrohttpd
DEB_PKGS := build-essential pkg-config git tmux libgit2-dev libcjson-dev \
            libcurl4-openssl-dev libcmark-dev libssl-dev libncurses-dev \
            libcmocka-dev libmicrohttpd-dev libsqlite3-dev zlib1g-dev python3 python3-yaml valgrind time xxd \
            clang libclang-rt-dev

BUILD := build
ifeq ($(SANITIZE),1)
BUILD := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
# The library as libFuzzer's targets link it (make fuzz): clang, coverage
# instrumentation, ASan and UBSan.
ifeq ($(FUZZ),1)
BUILD := build-fuzz
CC := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all -Wno-unknown-warning-option
endif

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
           -Wshadow -Wno-unused-parameter -Wno-format-truncation -Iinclude -I$(BUILD)/gen \
           -DCODICIL_VERSION='"$(VERSION)"' -pthread $(SANFLAGS) \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lm -pthread
LDFLAGS += $(SANFLAGS)
TEST_CFLAGS := $(shell pkg-config --cflags $(TESTPKGS))
TEST_LIBS   := $(shell pkg-config --libs $(TESTPKGS)) -lpthread

# Every .c under src/ but main.c goes into one static library; the binary and
# every test link against it.  Adding a file needs no Makefile change.
LIB_SRC   := $(shell find src -name '*.c' ! -path src/main.c | sort)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
PROMPTS   := $(sort $(wildcard prompts/*.txt))
GEN_PROMPTS := $(BUILD)/gen/prompts_data.c
SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))
SUPPORT_OBJ := $(SUPPORT_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:%.c=$(BUILD)/%)
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all check unit integration memcheck bench bench-scale demo install uninstall deps clean fuzz \
	check-exchange deps-exchange check-browser deps-browser
all: codicil

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(GEN_PROMPTS): $(PROMPTS) Makefile
	@mkdir -p $(dir $@)
	@{ echo '/* generated from prompts/ by the Makefile */'; \
	   echo '#include <stddef.h>'; \
	   echo 'const struct { const char *name; const char *text; size_t len; } cd_builtin_prompts[] = {'; \
	   for f in $(PROMPTS); do \
	     n=$$(basename $$f .txt); printf '  { "%s", (const char[]){ ' $$n; \
	     xxd -i < $$f | tr -d '\n'; printf ', 0x00 }, %s },\n' $$(wc -c < $$f); \
	   done; \
	   echo '  { NULL, NULL, 0 } };'; } > $@
$(BUILD)/gen/prompts_data.o: $(GEN_PROMPTS)
	$(CC) $(CFLAGS) -c -o $@ $<

# The install location is compiled in; the header changes (and the file
# that includes it is rebuilt) only when PREFIX or DATADIR does.
$(BUILD)/gen/datadir.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define CODICIL_DATADIR "$(DATADIR)"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/src/engine/workspace.o: $(BUILD)/gen/datadir.h
.PHONY: FORCE
FORCE:

$(BUILD)/libcodicil.a: $(LIB_OBJ) $(BUILD)/gen/prompts_data.o
	@rm -f $@
	@echo "  AR      $@"; ar rcs $@ $^

codicil: $(BUILD)/src/main.o $(BUILD)/libcodicil.a
	$(CC) $(LDFLAGS) -o $(BUILD)/codicil $^ $(LDLIBS)
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/codicil codicil; fi

$(SUPPORT_OBJ): CFLAGS += $(TEST_CFLAGS)
$(BUILD)/tests/unit/%: tests/unit/%.c $(SUPPORT_OBJ) $(BUILD)/libcodicil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)
# Allocation-failure torture: codicil's own allocations go through the
# test's allocator, which fails the n-th (libraries' own are untouched).
$(BUILD)/tests/unit/test_alloc_torture: LDFLAGS += \
	-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup,--wrap=free
$(BUILD)/tools/%: tests/tools/%.c $(SUPPORT_OBJ) $(BUILD)/libcodicil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	  echo "== $$t"; $$t || fail=1; done; exit $$fail

integration: codicil $(TOOL_BIN)
	@CODICIL_BIN=$(CURDIR)/$(BUILD)/codicil TOOLS=$(CURDIR)/$(BUILD)/tools \
	  tests/integration/run-all

# Every unit test under valgrind: no leaks, no invalid accesses.
memcheck: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	  printf '%s: ' "$$t"; \
	  if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	     --error-exitcode=9 $$t >/tmp/codicil-memcheck.$$$$ 2>&1; \
	  then echo clean; else echo FAILED; tail -30 /tmp/codicil-memcheck.$$$$; fail=1; fi; \
	done; rm -f /tmp/codicil-memcheck.$$$$; exit $$fail

check: codicil
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory integration

# libFuzzer targets (tests/fuzz/), each run FUZZ_SECONDS; the corpus grows
# in build-fuzz/corpus/NAME, seeded from the templates and tests/repro/.
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/fuzz/%)
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 build-fuzz/libcodicil.a
	@$(MAKE) --no-print-directory FUZZ=1 $(FUZZ_BIN)
	@fail=0; for t in $(FUZZ_BIN); do n=$$(basename $$t); \
	  mkdir -p build-fuzz/corpus/$$n; echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=build-fuzz/$$n- \
	    build-fuzz/corpus/$$n constitutions/assistant constitutions/newsroom tests/repro \
	    2>build-fuzz/$$n.log || { tail -40 build-fuzz/$$n.log; fail=1; }; \
	  grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' build-fuzz/$$n.log | tail -1; \
	done; exit $$fail
build-fuzz/fuzz/%: tests/fuzz/%.c build-fuzz/libcodicil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< build-fuzz/libcodicil.a $(LDLIBS)

bench: codicil $(TOOL_BIN)
	@CODICIL_BIN=$(CURDIR)/$(BUILD)/codicil TOOLS=$(CURDIR)/$(BUILD)/tools bench/run

bench-scale: codicil $(TOOL_BIN)
	@cd bench/scale && CODICIL_BIN=$(CURDIR)/$(BUILD)/codicil TOOLS=$(CURDIR)/$(BUILD)/tools sh run.sh

DEMO_DIR ?= codicil-demo
demo: codicil
	./codicil demo $(DEMO_DIR)

install: codicil
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BUILD)/codicil $(DESTDIR)$(BINDIR)/codicil
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(DATADIR)
	cp -R constitutions $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/codicil $(DESTDIR)$(MANDIR)/man1/codicil*.1 \
	      $(DESTDIR)$(MANDIR)/man5/codicil*.5
	rm -rf $(DESTDIR)$(DATADIR)

# Slower checks with outside tools, kept out of `make check`: an exported
# promptfoo config run by a real `promptfoo eval` (npm, installed under
# $(BUILD)/npm on first use).
PROMPTFOO_VERSION := 0.118.0
PROMPTFOO := $(BUILD)/npm/node_modules/.bin/promptfoo
$(PROMPTFOO):
	@mkdir -p $(BUILD)/npm
	cd $(BUILD)/npm && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --ignore-scripts \
	  --no-audit --no-fund --loglevel=error promptfoo@$(PROMPTFOO_VERSION) && \
	  npm rebuild better-sqlite3 --loglevel=error
check-exchange: codicil $(TOOL_BIN) $(PROMPTFOO)
	@CODICIL_BIN=$(CURDIR)/$(BUILD)/codicil TOOLS=$(CURDIR)/$(BUILD)/tools \
	  PROMPTFOO=$(CURDIR)/$(PROMPTFOO) sh $(CURDIR)/tests/exchange/promptfoo.sh && \
	  echo "ok   promptfoo eval of an exported config"
deps-exchange:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y -qq nodejs npm
# The published site in headless Chromium (Debian's chromium).
check-browser: codicil $(TOOL_BIN)
	@CODICIL_BIN=$(CURDIR)/$(BUILD)/codicil TOOLS=$(CURDIR)/$(BUILD)/tools \
	  CHROMIUM=$$(command -v chromium || command -v chromium-browser) \
	  sh $(CURDIR)/tests/browser/publish.sh && echo "ok   the published site in Chromium"
deps-browser:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y -qq chromium

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(DEB_PKGS)

clean:
	rm -rf build build-san build-fuzz codicil

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
