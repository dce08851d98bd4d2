/* candor.h: the C API of Candor (libcandor_c), for C99 and later.
 *
 * Conventions, for every function:
 *  - The return value is a candor_status; CANDOR_OK (0) is success. Nothing else is
 *    reported by return: results go to out-parameters.
 *  - On failure, candor_last_error() gives the reason as text (per thread, kept until the
 *    next failing call on that thread). No C++ exception ever crosses this boundary.
 *  - Objects are opaque handles (candor_survey, candor_problems, candor_journal,
 *    candor_report), created
 *    by a candor_*_open/parse/check call and released by the matching candor_*_free,
 *    which accepts NULL.
 *  - Text results are written to caller-owned buffers: `buf` of `*size` bytes in; on
 *    return `*size` is the bytes needed, terminating NUL included. When the buffer is
 *    too small (or NULL) the call returns CANDOR_BUFFER_TOO_SMALL, writes as much as fits
 *    (NUL-terminated, when *size was not 0), and the caller may retry with *size bytes.
 *  - Text in is UTF-8 with an explicit length; C strings (paths, names) are NUL-terminated.
 *
 * Symbols are versioned (CANDOR_C_1, and CANDOR_C_1.1 for the report): every exported
 * name starts with candor_, and the structs below keep their layout within a major
 * version of the library.
 *
 * Thread safety: a handle may be used by one thread at a time; distinct handles, and the
 * figures' functions, from any threads at once.
 */
#ifndef CANDOR_H
#define CANDOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CANDOR_API __attribute__((visibility("default")))
#else
#define CANDOR_API
#endif

typedef enum candor_status {
    CANDOR_OK = 0,
    CANDOR_INVALID_ARGUMENT = 1,  /* a NULL handle, a value off its scale, ... */
    CANDOR_PARSE_ERROR = 2,       /* a survey or a response that does not parse */
    CANDOR_REJECTED = 3,          /* a response that fails its survey's checks */
    CANDOR_IO_ERROR = 4,          /* a file that cannot be read or written */
    CANDOR_BUFFER_TOO_SMALL = 5,  /* see the buffer convention above */
    CANDOR_OUT_OF_MEMORY = 6,
    CANDOR_INTERNAL_ERROR = 7     /* a bug in Candor: please report the text */
} candor_status;

/* A stable name for a status ("ok", "invalid-argument", ...); never NULL. */
CANDOR_API const char* candor_status_name(candor_status status);

/* Why the last failing call of this thread failed (empty when none has); see the buffer
 * convention. For a survey that does not parse, every error, one per line:
 * "FILE:LINE:COL: error: message [code]". */
CANDOR_API candor_status candor_last_error(char* buf, size_t* size);

/* The library's version, "MAJOR.MINOR.PATCH" (static storage), and its parts. */
CANDOR_API const char* candor_version(void);
CANDOR_API candor_status candor_version_numbers(int* major, int* minor, int* patch);

/* ---- Surveys ------------------------------------------------------------------- */

typedef struct candor_survey candor_survey;

/* Parses and checks a survey written in the survey language; `file_name` (may be NULL)
 * only labels the errors. CANDOR_PARSE_ERROR when it has errors. */
CANDOR_API candor_status candor_survey_parse(const char* text, size_t length,
                                             const char* file_name, candor_survey** out);
/* Reads the file and parses it; CANDOR_IO_ERROR when it cannot be read. */
CANDOR_API candor_status candor_survey_load(const char* path, candor_survey** out);
CANDOR_API void candor_survey_free(candor_survey* survey);

CANDOR_API candor_status candor_survey_id(const candor_survey* survey, char* buf, size_t* size);
CANDOR_API candor_status candor_survey_version(const candor_survey* survey, uint32_t* version);
CANDOR_API candor_status candor_survey_question_count(const candor_survey* survey, size_t* count);

/* ---- Checking responses ---------------------------------------------------------- */

/* The problems of one response: empty means it is accepted. */
typedef struct candor_problems candor_problems;

/* Checks a response given as one JSON object (the format of docs/journal.md:
 * {"survey":..,"version":..,"language":..,"fields":{..},"submitted":..,"answers":{..}}).
 * CANDOR_OK when it was checked, whatever the verdict: *out holds its problems.
 * CANDOR_PARSE_ERROR when the text is not such an object. */
CANDOR_API candor_status candor_check_response(const candor_survey* survey, const char* json,
                                               size_t length, candor_problems** out);
CANDOR_API size_t candor_problems_count(const candor_problems* problems);
/* Problem `index`: the question (or field) it is about, empty for the whole response;
 * its stable code ("out-of-range", "required-missing", ...); a message for people. */
CANDOR_API candor_status candor_problem_question(const candor_problems* problems, size_t index,
                                                 char* buf, size_t* size);
CANDOR_API candor_status candor_problem_code(const candor_problems* problems, size_t index,
                                             char* buf, size_t* size);
CANDOR_API candor_status candor_problem_message(const candor_problems* problems, size_t index,
                                                char* buf, size_t* size);
CANDOR_API void candor_problems_free(candor_problems* problems);

/* ---- Keys and the device's journal ------------------------------------------------ */

/* Writes a new head-office key pair into DIR (hq.key, hq.pub) and a device's key pair
 * (ID.key, ID.pub). Existing files are never overwritten (CANDOR_IO_ERROR). For tests
 * and provisioning; head office normally runs `candor keys`. */
CANDOR_API candor_status candor_keys_make_hq(const char* dir);
CANDOR_API candor_status candor_keys_make_device(const char* device_id, const char* dir);

typedef struct candor_journal candor_journal;

/* Opens (creating when absent) the journal directory of the device whose secret key is
 * in `device_key_file`, sealing cards to the head-office key in `hq_public_file`. */
CANDOR_API candor_status candor_journal_open(const char* dir, const char* device_key_file,
                                             const char* hq_public_file, candor_journal** out);
CANDOR_API void candor_journal_free(candor_journal* journal);

/* Room for a receipt code ("7KQ-4M2") and its NUL. */
#define CANDOR_RECEIPT_SIZE 16

/* Checks the response (JSON, as for candor_check_response) against the survey and, when
 * accepted, seals it into the journal; returns once it is durable, with its sequence
 * number and receipt code. CANDOR_REJECTED when it fails the checks: nothing is written,
 * and `*problems` (when `problems` is not NULL) receives them, to be freed by the caller. */
CANDOR_API candor_status candor_journal_submit(candor_journal* journal,
                                               const candor_survey* survey, const char* json,
                                               size_t length, uint64_t* seq, char* receipt,
                                               size_t* receipt_size, candor_problems** problems);
CANDOR_API candor_status candor_journal_last_seq(const candor_journal* journal, uint64_t* seq);

/* Reads the journal in DIR and verifies every frame, sequence number, chain link and
 * signature. *errors is the number of errors found (0: intact); their text is then
 * readable with candor_last_error. */
CANDOR_API candor_status candor_journal_verify(const char* dir, size_t* errors);

/* ---- Figures from arrays ---------------------------------------------------------- */

/* Answers are one byte each (int8_t), CANDOR_MISSING for a skipped question, as in
 * candor::stats frames. `weights` is NULL or one weight per answer. The arrays are read
 * in place, never copied. A value off the scale is CANDOR_INVALID_ARGUMENT. */
#define CANDOR_MISSING ((int8_t)-128)

typedef struct candor_interval {
    double lo, hi;
} candor_interval;

/* NPS on 0-10: +100 per promoter (9-10), -100 per detractor (0-6). */
typedef struct candor_nps_figure {
    double score;
    double se;
    candor_interval ci95;
    uint64_t promoters, passives, detractors;
    uint64_t n;
} candor_nps_figure;

/* A share (CSAT: answers 4-5 of 1-5) with its Wilson interval. */
typedef struct candor_share_figure {
    double share;
    double hits;
    candor_interval ci95;
    uint64_t n;
} candor_share_figure;

/* A mean (CES on 1-7) with sample SD and t-interval. */
typedef struct candor_mean_figure {
    double mean;
    double sd;
    double se;
    candor_interval ci95;
    uint64_t n;
} candor_mean_figure;

CANDOR_API candor_status candor_nps(const int8_t* values, size_t count, const double* weights,
                                    candor_nps_figure* out);
CANDOR_API candor_status candor_csat(const int8_t* values, size_t count, const double* weights,
                                     candor_share_figure* out);
CANDOR_API candor_status candor_ces(const int8_t* values, size_t count, const double* weights,
                                    candor_mean_figure* out);

/* The same per group: row i belongs to group groups[i] (0 <= groups[i] < group_count) or,
 * when negative, to none; `out` has room for group_count figures. */
CANDOR_API candor_status candor_nps_by(const int8_t* values, const int32_t* groups, size_t count,
                                       const double* weights, size_t group_count,
                                       candor_nps_figure* out);
CANDOR_API candor_status candor_csat_by(const int8_t* values, const int32_t* groups,
                                        size_t count, const double* weights,
                                        size_t group_count, candor_share_figure* out);
CANDOR_API candor_status candor_ces_by(const int8_t* values, const int32_t* groups, size_t count,
                                       const double* weights, size_t group_count,
                                       candor_mean_figure* out);

/* ---- The head-office report (docs/report.md) ------------------------------------ */

/* What `candor report` is told. Fill with candor_report_options_init, then set the source
 * (exactly one of store_dir with hq_key_file, csv_file, responses_file) and the rest. */
typedef struct candor_report_options {
    const char* store_dir;      /* head office's store, opened with hq_key_file */
    const char* hq_key_file;
    const char* csv_file;       /* or an export, as `candor export --csv` writes it */
    const char* responses_file; /* or responses as JSON lines */
    const char* org_file;       /* NULL: none; site names and the role of reader_role */
    const char* reader_role;    /* NULL: none; contact details only if it contacts guests */
    const char* cases_dir;      /* NULL: none; the case log of routing */
    int64_t now;                /* Unix seconds: when made, and when cases are overdue */
    const char* by;             /* the column of sites ("site") */
    const char* compare;        /* "week", "month" (the default) or "quarter" */
    size_t verbatims;           /* how many detractors' comments (10) */
    uint64_t min_n;             /* segments and figures under it are suppressed (5) */
} candor_report_options;

/* The defaults above, every pointer NULL but by and compare, now the current time. */
CANDOR_API candor_status candor_report_options_init(candor_report_options* options);

typedef struct candor_report candor_report;

/* Builds the report of the survey's cards. CANDOR_IO_ERROR when a file or directory cannot
 * be read, CANDOR_PARSE_ERROR when one does not parse (errors at their line), and
 * CANDOR_INVALID_ARGUMENT for the rest (no source or two, no card, an unknown role or
 * column); candor_last_error says which. */
CANDOR_API candor_status candor_report_build(const candor_survey* survey,
                                             const candor_report_options* options,
                                             candor_report** out);
CANDOR_API void candor_report_free(candor_report* report);

/* The report printed, as `candor report --format json|html|text` prints it (the JSON
 * without its final newline), by the buffer convention. */
CANDOR_API candor_status candor_report_json(const candor_report* report, char* buf, size_t* size);
CANDOR_API candor_status candor_report_html(const candor_report* report, char* buf, size_t* size);
CANDOR_API candor_status candor_report_text(const candor_report* report, char* buf, size_t* size);

#ifdef __cplusplus
}
#endif

#endif /* CANDOR_H */
