/* The worked example of docs/c.md: what a kiosk's firmware does with Candor.
 * Build: cc -std=c99 kiosk.c $(pkg-config --cflags --libs candor_c)
 * Run:   ./a.out examples/surveys        (CTest runs it as c_bindings_example) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candor.h"

/* Prints the reason of the last failure and exits. */
static void die(const char* what, candor_status status) {
    char why[4096];
    size_t size = sizeof why;
    candor_last_error(why, &size); /* truncated if longer: fine for a message */
    fprintf(stderr, "%s: %s\n%s\n", what, candor_status_name(status), why);
    exit(1);
}

int main(int argc, char** argv) {
    char path[512], dir[] = "/tmp/candor-kiosk.XXXXXX", journal_dir[600], key[600], hq[600];
    char receipt[CANDOR_RECEIPT_SIZE];
    size_t receipt_size = sizeof receipt, i, errors = 0;
    uint64_t seq = 0;
    candor_survey* survey = NULL;
    candor_journal* journal = NULL;
    candor_problems* problems = NULL;
    candor_status st;
    const char* card =
        "{\"survey\": \"hotel-stay\", \"version\": 3, \"language\": \"en\","
        " \"fields\": {\"site\": \"paris-01\", \"device\": \"kiosk-1\", \"channel\": \"kiosk\","
        " \"shift\": \"day\"}, \"submitted\": \"2026-11-02T10:16:12Z\","
        " \"answers\": {\"recommend\": 9, \"satisfaction\": 4, \"contact_me\": false}}";
    const char* typo = /* a guest typed 11 on a 0-10 scale, and skipped a required question */
        "{\"survey\": \"hotel-stay\", \"version\": 3, \"language\": \"en\","
        " \"fields\": {\"site\": \"paris-01\", \"device\": \"kiosk-1\", \"channel\": \"kiosk\","
        " \"shift\": \"day\"}, \"submitted\": \"2026-11-02T10:20:00Z\","
        " \"answers\": {\"recommend\": 11}}";
    /* Today's answers to the NPS question, as the kiosk keeps them: one byte each. */
    const int8_t today[] = {10, 9, 9, 8, 7, 6, 3, 10, CANDOR_MISSING, 9};
    candor_nps_figure nps;

    if (argc != 2) {
        fprintf(stderr, "usage: %s SURVEYS_DIR\n", argv[0]);
        return 2;
    }
    printf("libcandor_c %s\n", candor_version());

    /* 1. Load the survey the kiosk shows. */
    snprintf(path, sizeof path, "%s/hotel-stay.survey", argv[1]);
    if ((st = candor_survey_load(path, &survey)) != CANDOR_OK) die("loading the survey", st);

    /* 2. Keys: provisioned at installation; made here so that the example runs alone. */
    if (!mkdtemp(dir)) return 1;
    snprintf(journal_dir, sizeof journal_dir, "%s/journal", dir);
    snprintf(key, sizeof key, "%s/kiosk-1.key", dir);
    snprintf(hq, sizeof hq, "%s/hq.pub", dir);
    if ((st = candor_keys_make_hq(dir)) != CANDOR_OK) die("head-office keys", st);
    if ((st = candor_keys_make_device("kiosk-1", dir)) != CANDOR_OK) die("device keys", st);

    /* 3. Submit a card: checked, sealed to head office, durable, then the receipt. */
    if ((st = candor_journal_open(journal_dir, key, hq, &journal)) != CANDOR_OK)
        die("opening the journal", st);
    st = candor_journal_submit(journal, survey, card, strlen(card), &seq, receipt, &receipt_size,
                               NULL);
    if (st != CANDOR_OK) die("submitting", st);
    printf("card %llu stored, receipt %s\n", (unsigned long long)seq, receipt);

    /* 4. A card with mistakes is refused, each problem named, and nothing is written. */
    receipt_size = sizeof receipt;
    st = candor_journal_submit(journal, survey, typo, strlen(typo), &seq, receipt, &receipt_size,
                               &problems);
    if (st != CANDOR_REJECTED) die("expected a rejection", st);
    for (i = 0; i < candor_problems_count(problems); ++i) {
        char question[128], code[64];
        size_t qs = sizeof question, cs = sizeof code;
        candor_problem_question(problems, i, question, &qs);
        candor_problem_code(problems, i, code, &cs);
        printf("refused: %s [%s]\n", question, code);
    }
    candor_problems_free(problems);
    candor_journal_free(journal);

    /* 5. The journal verifies: frames, sequence, chain and signatures. */
    if ((st = candor_journal_verify(journal_dir, &errors)) != CANDOR_OK || errors != 0)
        die("verifying", st);
    printf("journal verified\n");

    /* 6. Today's NPS on the kiosk's screen, from its own array (not copied). */
    if ((st = candor_nps(today, sizeof today, NULL, &nps)) != CANDOR_OK) die("NPS", st);
    printf("NPS %.1f (95%% CI %.1f to %.1f), n = %llu\n", nps.score, nps.ci95.lo, nps.ci95.hi,
           (unsigned long long)nps.n);

    candor_survey_free(survey);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    return system(path) == 0 ? 0 : 1;
}
