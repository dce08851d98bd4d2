/* The C API end to end, in C99: version, surveys and their diagnostics, response checks,
 * the buffer convention, keys, a journal (submit, reject, verify), the figures and the
 * head-office report. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candor.h"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            char why_[4096];                                                         \
            size_t n_ = sizeof why_;                                                 \
            candor_last_error(why_, &n_);                                            \
            fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__,    \
                    __LINE__, #cond, why_);                                          \
            ++failures;                                                              \
        }                                                                            \
    } while (0)

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static char* last_error(void) {
    static char text[8192];
    size_t size = sizeof text;
    candor_last_error(text, &size);
    return text;
}

static int has_problem(const candor_problems* p, const char* question, const char* code) {
    size_t i;
    for (i = 0; i < candor_problems_count(p); ++i) {
        char q[128], c[64];
        size_t qn = sizeof q, cn = sizeof c;
        if (candor_problem_question(p, i, q, &qn) != CANDOR_OK) return 0;
        if (candor_problem_code(p, i, c, &cn) != CANDOR_OK) return 0;
        if (strcmp(q, question) == 0 && strcmp(c, code) == 0) return 1;
    }
    return 0;
}

static void test_version(void) {
    int major = -1, minor = -1, patch = -1;
    char expected[64];
    CHECK(strcmp(candor_version(), CANDOR_EXPECTED_VERSION) == 0);
    CHECK(candor_version_numbers(&major, &minor, &patch) == CANDOR_OK);
    snprintf(expected, sizeof expected, "%d.%d.%d", major, minor, patch);
    CHECK(strcmp(expected, CANDOR_EXPECTED_VERSION) == 0);
    CHECK(strcmp(candor_status_name(CANDOR_REJECTED), "rejected") == 0);
}

static void test_bad_survey(void) {
    static const char text[] =
        "survey \"s\" version 1 {\n"
        "  languages en\n"
        "  question a: nps \"A?\"\n"
        "  question a: csat \"Again?\"\n"
        "}\n";
    candor_survey* s = (candor_survey*)1;
    CHECK(candor_survey_parse(text, sizeof text - 1, "s.survey", &s) == CANDOR_PARSE_ERROR);
    CHECK(s == NULL);
    /* The diagnostic names the file, line and column of the second `a`, and its code. */
    CHECK(strstr(last_error(), "s.survey:4:") != NULL);
    CHECK(strstr(last_error(), "[duplicate-question]") != NULL);

    CHECK(candor_survey_load("/nonexistent/x.survey", &s) == CANDOR_IO_ERROR);
    CHECK(candor_survey_parse(NULL, 0, NULL, NULL) == CANDOR_INVALID_ARGUMENT);
}

static void test_buffers(const candor_survey* s) {
    char small[4];
    size_t size = sizeof small;
    char* big;
    /* Too small: truncated, NUL-terminated, and the size needed is returned. */
    CHECK(candor_survey_id(s, small, &size) == CANDOR_BUFFER_TOO_SMALL);
    CHECK(size == strlen("hotel-stay") + 1);
    CHECK(strcmp(small, "hot") == 0);
    /* Asking first with no buffer, then with one of the size given. */
    size = 0;
    CHECK(candor_survey_id(s, NULL, &size) == CANDOR_BUFFER_TOO_SMALL);
    big = malloc(size);
    CHECK(candor_survey_id(s, big, &size) == CANDOR_OK);
    CHECK(strcmp(big, "hotel-stay") == 0);
    free(big);
}

static const char good[] =
    "{\"survey\": \"hotel-stay\", \"version\": 3, \"language\": \"en\", \"fields\": "
    "{\"site\": \"paris-01\", \"device\": \"kiosk-1\", \"channel\": \"kiosk\", \"shift\": "
    "\"day\"}, \"submitted\": \"2026-11-02T10:16:12Z\", \"answers\": {\"recommend\": 10, "
    "\"satisfaction\": 5, \"contact_me\": false}}";
static const char bad[] =
    "{\"survey\": \"hotel-stay\", \"version\": 3, \"language\": \"en\", \"fields\": "
    "{\"site\": \"paris-01\", \"device\": \"kiosk-1\", \"channel\": \"kiosk\", \"shift\": "
    "\"day\"}, \"submitted\": \"2026-11-05T10:00:00Z\", \"answers\": {\"recommend\": 11, "
    "\"satisfaction\": \"great\", \"contact_me\": false}}";

static void test_check(const candor_survey* s) {
    candor_problems* p = NULL;
    char message[512];
    size_t size = sizeof message;
    CHECK(candor_check_response(s, good, strlen(good), &p) == CANDOR_OK);
    CHECK(candor_problems_count(p) == 0);
    candor_problems_free(p);

    CHECK(candor_check_response(s, bad, strlen(bad), &p) == CANDOR_OK);
    CHECK(candor_problems_count(p) == 2);
    CHECK(has_problem(p, "recommend", "out-of-range"));
    CHECK(has_problem(p, "satisfaction", "wrong-type"));
    CHECK(candor_problem_message(p, 0, message, &size) == CANDOR_OK && size > 1);
    CHECK(candor_problem_code(p, 99, message, &size) == CANDOR_INVALID_ARGUMENT);
    candor_problems_free(p);

    p = (candor_problems*)1;
    CHECK(candor_check_response(s, "{not json", 9, &p) == CANDOR_PARSE_ERROR);
    CHECK(p == NULL);
    CHECK(strstr(last_error(), "[json]") != NULL);
}

static void test_journal(const candor_survey* s) {
    char dir[] = "/tmp/candor-c-test.XXXXXX";
    char keys[256], jdir[256], key_file[256], hq_file[256], receipt[CANDOR_RECEIPT_SIZE];
    size_t receipt_size = sizeof receipt, errors = 99;
    uint64_t seq = 0;
    candor_journal* j = NULL;
    candor_problems* p = NULL;
    char command[300];

    CHECK(mkdtemp(dir) != NULL);
    snprintf(keys, sizeof keys, "%s", dir);
    snprintf(jdir, sizeof jdir, "%s/journal", dir);
    snprintf(key_file, sizeof key_file, "%s/kiosk-1.key", dir);
    snprintf(hq_file, sizeof hq_file, "%s/hq.pub", dir);
    CHECK(candor_keys_make_hq(keys) == CANDOR_OK);
    CHECK(candor_keys_make_device("kiosk-1", keys) == CANDOR_OK);
    CHECK(candor_keys_make_device("bad id!", keys) == CANDOR_INVALID_ARGUMENT);
    CHECK(candor_keys_make_hq(keys) == CANDOR_IO_ERROR); /* never overwritten */

    CHECK(candor_journal_open(jdir, key_file, hq_file, &j) == CANDOR_OK);
    CHECK(candor_journal_submit(j, s, good, strlen(good), &seq, receipt, &receipt_size, &p) ==
          CANDOR_OK);
    CHECK(p == NULL);
    CHECK(seq == 1);
    CHECK(strlen(receipt) == 7 && receipt[3] == '-');
    receipt_size = sizeof receipt;
    CHECK(candor_journal_submit(j, s, good, strlen(good), &seq, receipt, &receipt_size, NULL) ==
          CANDOR_OK);
    CHECK(seq == 2);

    receipt_size = sizeof receipt;
    CHECK(candor_journal_submit(j, s, bad, strlen(bad), &seq, receipt, &receipt_size, &p) ==
          CANDOR_REJECTED);
    CHECK(candor_problems_count(p) == 2);
    CHECK(strstr(last_error(), "[out-of-range]") != NULL);
    candor_problems_free(p);
    CHECK(candor_journal_last_seq(j, &seq) == CANDOR_OK && seq == 2);
    candor_journal_free(j);

    CHECK(candor_journal_verify(jdir, &errors) == CANDOR_OK);
    CHECK(errors == 0);

    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    CHECK(system(command) == 0);
}

/* Text of a report by the buffer convention: the size asked first, then the whole. */
static char* report_text(const candor_report* r,
                         candor_status (*print)(const candor_report*, char*, size_t*)) {
    size_t size = 0;
    char* text;
    if (print(r, NULL, &size) != CANDOR_BUFFER_TOO_SMALL || size < 2) return NULL;
    text = malloc(size);
    if (text && (print(r, text, &size) != CANDOR_OK || strlen(text) + 1 != size)) {
        free(text);
        return NULL;
    }
    return text;
}

static void test_report(const candor_survey* s, const char* surveys) {
    char sample[512], org[512], missing[512], small[16];
    size_t size = sizeof small;
    candor_report_options o;
    candor_report* r = NULL;
    char* text;
    snprintf(sample, sizeof sample, "%s/../data/hotel-stay.sample.jsonl", surveys);
    snprintf(org, sizeof org, "%s/../org/hotel-chain.org", surveys);
    snprintf(missing, sizeof missing, "%s/no-such.jsonl", surveys);

    CHECK(candor_report_options_init(&o) == CANDOR_OK);
    CHECK(strcmp(o.by, "site") == 0 && strcmp(o.compare, "month") == 0);
    CHECK(o.min_n == 5 && o.verbatims == 10 && o.now > 1700000000 && o.csv_file == NULL);
    CHECK(candor_report_build(s, &o, &r) == CANDOR_INVALID_ARGUMENT && r == NULL);
    CHECK(strstr(last_error(), "give one source") != NULL);

    o.responses_file = sample;
    o.org_file = org;
    o.reader_role = "customer_care";
    o.now = 1794819600; /* 2026-11-16T09:00:00Z */
    CHECK(candor_report_build(s, &o, &r) == CANDOR_OK);
    text = report_text(r, candor_report_json);
    CHECK(text != NULL);
    if (text) {
        CHECK(text[0] == '{' && strstr(text, "\"generated\": \"2026-11-16T09:00:00Z\"") != NULL);
        CHECK(strstr(text, "\"personal_data\": true") != NULL);
        CHECK(strstr(text, "\"stats_args\": [") != NULL);
        free(text);
    }
    text = report_text(r, candor_report_html);
    CHECK(text != NULL && strncmp(text, "<!DOCTYPE html>", 15) == 0 &&
          strstr(text, "<script") == NULL && strstr(text, "</html>\n") != NULL);
    free(text);
    text = report_text(r, candor_report_text);
    CHECK(text != NULL && strncmp(text, "How was your stay? (hotel-stay)", 31) == 0);
    free(text);
    /* Too small a buffer: as much as fits, NUL-terminated. */
    CHECK(candor_report_json(r, small, &size) == CANDOR_BUFFER_TOO_SMALL && size > sizeof small);
    CHECK(strlen(small) == sizeof small - 1 && small[0] == '{');
    candor_report_free(r);
    candor_report_free(NULL);
    CHECK(candor_report_json(NULL, small, &size) == CANDOR_INVALID_ARGUMENT);

    r = NULL;
    o.reader_role = "janitor";
    CHECK(candor_report_build(s, &o, &r) == CANDOR_INVALID_ARGUMENT && r == NULL);
    CHECK(strstr(last_error(), "no role 'janitor'") != NULL);
    o.reader_role = NULL;
    o.responses_file = missing;
    CHECK(candor_report_build(s, &o, &r) == CANDOR_IO_ERROR && r == NULL);
    o.compare = "fortnight";
    o.responses_file = sample;
    CHECK(candor_report_build(s, &o, &r) == CANDOR_INVALID_ARGUMENT && r == NULL);
}

static void test_figures(void) {
    /* 2 promoters, 2 passives, 2 detractors, one skipped. */
    const int8_t nps[] = {10, 9, 8, 7, 6, 0, CANDOR_MISSING};
    const int32_t site[] = {0, 0, 0, 1, 1, 1, 1};
    const int8_t sat[] = {5, 4, 3, 2, 1, 5, CANDOR_MISSING};
    const int8_t effort[] = {1, 2, 3, 4, 5, 6, 7};
    const int8_t off_scale[] = {10, 11};
    const double weights[] = {2, 1, 1, 1, 1, 1, 1};
    candor_nps_figure f, by[2];
    candor_share_figure c;
    candor_mean_figure m, mb[2];
    double sd;

    CHECK(candor_nps(nps, 7, NULL, &f) == CANDOR_OK);
    CHECK(f.n == 6 && f.promoters == 2 && f.passives == 2 && f.detractors == 2);
    CHECK(NEAR(f.score, 0.0));
    /* Values +-100 and 0, mean 0: s^2 = 40000/5, se = sqrt(s^2/6). */
    CHECK(NEAR(f.se, sqrt(40000.0 / 5 / 6)));
    CHECK(NEAR(f.ci95.lo, -1.959964 * f.se) && NEAR(f.ci95.hi, 1.959964 * f.se));

    CHECK(candor_nps(nps, 7, weights, &f) == CANDOR_OK);
    CHECK(NEAR(f.score, 100.0 / 7)); /* (2*100 + 100 - 200) / 7 */

    CHECK(candor_nps_by(nps, site, 7, NULL, 2, by) == CANDOR_OK);
    CHECK(by[0].n == 3 && NEAR(by[0].score, 100.0 * 2 / 3));
    CHECK(by[1].n == 3 && NEAR(by[1].score, -200.0 / 3));

    CHECK(candor_csat(sat, 7, NULL, &c) == CANDOR_OK);
    CHECK(c.n == 6 && NEAR(c.share, 0.5) && c.ci95.lo < 0.5 && c.ci95.hi > 0.5);

    CHECK(candor_ces(effort, 7, NULL, &m) == CANDOR_OK);
    sd = sqrt(28.0 / 6); /* 1..7: mean 4, sum of squares 28 */
    CHECK(m.n == 7 && NEAR(m.mean, 4.0) && NEAR(m.sd, sd) && NEAR(m.se, sd / sqrt(7.0)));
    CHECK(candor_ces_by(effort, site, 7, NULL, 2, mb) == CANDOR_OK);
    CHECK(NEAR(mb[0].mean, 2.0) && NEAR(mb[1].mean, 5.5));
    {
        candor_share_figure cb[2];
        CHECK(candor_csat_by(sat, site, 7, NULL, 2, cb) == CANDOR_OK);
        CHECK(cb[0].n == 3 && NEAR(cb[0].share, 2.0 / 3));
        CHECK(cb[1].n == 3 && NEAR(cb[1].share, 1.0 / 3));
    }

    CHECK(candor_nps(off_scale, 2, NULL, &f) == CANDOR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "outside the scale") != NULL);
    CHECK(candor_nps_by(nps, site, 7, NULL, 1, by) == CANDOR_INVALID_ARGUMENT);
    CHECK(candor_nps(NULL, 3, NULL, &f) == CANDOR_INVALID_ARGUMENT);
}

int main(int argc, char** argv) {
    candor_survey* s = NULL;
    if (argc != 2) {
        fprintf(stderr, "usage: c_test SURVEYS_DIR\n");
        return 2;
    }
    {
        char path[512];
        snprintf(path, sizeof path, "%s/hotel-stay.survey", argv[1]);
        test_version();
        test_bad_survey();
        CHECK(candor_survey_load(path, &s) == CANDOR_OK);
    }
    if (s) {
        uint32_t version = 0;
        size_t questions = 0;
        CHECK(candor_survey_version(s, &version) == CANDOR_OK && version == 3);
        CHECK(candor_survey_question_count(s, &questions) == CANDOR_OK && questions == 13);
        test_buffers(s);
        test_check(s);
        test_journal(s);
        test_report(s, argv[1]);
        candor_survey_free(s);
    }
    test_figures();
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    else printf("c_test: all checks passed\n");
    return failures ? 1 : 0;
}
