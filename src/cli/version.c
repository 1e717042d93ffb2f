#include "cli.h"

const char cmd_version_usage[] =
	"usage: codicil version\n"
	"\n"
	"Print codicil's version and the versions of the libraries it uses.\n";

#include <cJSON.h>
#include <cmark.h>
#include <curl/curl.h>
#include <git2.h>

int cmd_version(cli_ctx *ctx, int argc, char **argv)
{
	int major, minor, rev;

	if (argc > 1)
		return cli_usage_error("version ", "too many arguments");
	git_libgit2_version(&major, &minor, &rev);
	printf("codicil %s\n", CODICIL_VERSION);
	printf("libgit2 %d.%d.%d, %s, cJSON %s, cmark %s\n", major, minor, rev,
	       curl_version(), cJSON_Version(), cmark_version_string());
	return CLI_OK;
}
