/* Loads a survey and computes an NPS through the C API, as a kiosk's firmware would. */
#include <candor.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char** argv) {
    candor_survey* survey = NULL;
    char id[64];
    size_t size = sizeof id;
    uint32_t version = 0;
    size_t questions = 0;
    const int8_t answers[] = {10, 9, 7, 3, -128};
    candor_nps_figure nps;
    if (argc != 2) return 2;
    if (candor_survey_load(argv[1], &survey) != CANDOR_OK ||
        candor_survey_id(survey, id, &size) != CANDOR_OK ||
        candor_survey_version(survey, &version) != CANDOR_OK ||
        candor_survey_question_count(survey, &questions) != CANDOR_OK ||
        candor_nps(answers, 5, NULL, &nps) != CANDOR_OK) {
        char why[512];
        size_t n = sizeof why;
        candor_last_error(why, &n);
        fprintf(stderr, "%s\n", why);
        candor_survey_free(survey);
        return 1;
    }
    candor_survey_free(survey);
    /* Two promoters, one detractor of four answers: 25. */
    printf("C: %s v%u: %zu questions; NPS of the test answers %.0f, n = %llu (candor_c %s)\n", id,
           (unsigned)version, questions, nps.score, (unsigned long long)nps.n, candor_version());
    return nps.score == 25.0 && nps.n == 4 ? 0 : 1;
}
