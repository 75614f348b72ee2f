/*-------------------------------------------------------------------------
 *
 * floor.c
 *		  The floor a planhat_fdw scan is compared with: fetch the same pages
 *		  with libcurl and (with --parse) parse each with json-c, one after
 *		  the other, on one keep-alive connection.
 *
 * Usage: floor [--parse] [--compressed] BASE_URL < paths
 *	 paths: one "/companies?limit=5000&offset=0" per line (the request log
 *	 of the scan being compared, so the pages are the same).
 *	 The token comes from $PLANHAT_TOKEN.
 * Prints one line: pages rows wire_bytes body_bytes seconds max_rss_kb cpu_seconds
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  test/bench/floor.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <curl/curl.h>
#include <json.h>

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	Buf		   *b = arg;
	size_t		n = size * nmemb;

	if (b->len + n + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 1 << 20;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL)
			return 0;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	return n;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	int			parse = 0;
	int			compressed = 0;
	const char *base = NULL;
	const char *token = getenv("PLANHAT_TOKEN");
	char		line[8192];
	char		url[16384];
	char		auth[1024];
	struct curl_slist *headers = NULL;
	CURL	   *curl;
	Buf			buf = {0};
	long		pages = 0;
	long long	rows = 0;
	curl_off_t	wire = 0;
	long long	body = 0;
	double		t0;
	double		elapsed;
	struct rusage ru;
	int			i;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--parse") == 0)
			parse = 1;
		else if (strcmp(argv[i], "--compressed") == 0)
			compressed = 1;
		else
			base = argv[i];
	}
	if (base == NULL || token == NULL)
	{
		fprintf(stderr, "usage: PLANHAT_TOKEN=... floor [--parse] [--compressed] BASE_URL < paths\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	curl = curl_easy_init();
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	headers = curl_slist_append(headers, auth);
	headers = curl_slist_append(headers, "Accept: application/json");

	t0 = now();
	while (fgets(line, sizeof(line), stdin))
	{
		long		status = 0;
		curl_off_t	dl = 0;
		CURLcode	rc;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		snprintf(url, sizeof(url), "%s%s", base, line);
		buf.len = 0;
		curl_easy_setopt(curl, CURLOPT_URL, url);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_cb);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
		curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
		if (compressed)
			curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
		rc = curl_easy_perform(curl);
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		if (rc != CURLE_OK || status != 200)
		{
			fprintf(stderr, "floor: %s: %s, status %ld\n", line,
					curl_easy_strerror(rc), status);
			return 1;
		}
		curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &dl);
		wire += dl;
		body += buf.len;
		pages++;
		if (parse)
		{
			json_tokener *tok = json_tokener_new_ex(64);
			json_object *root;

			json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
			root = json_tokener_parse_ex(tok, buf.data, (int) buf.len);
			if (root == NULL || !json_object_is_type(root, json_type_array))
			{
				fprintf(stderr, "floor: %s: not a JSON array\n", line);
				return 1;
			}
			rows += json_object_array_length(root);
			json_object_put(root);
			json_tokener_free(tok);
		}
	}
	elapsed = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("%ld %lld %lld %lld %.6f %ld %.3f\n", pages, rows, (long long) wire, body,
		   elapsed, ru.ru_maxrss,
		   ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		   ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	free(buf.data);
	return 0;
}
