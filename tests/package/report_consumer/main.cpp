// The report's JSON model, made by a product linking candor::report:
//   report_consumer SURVEY RESPONSES.jsonl ORG READER_ROLE NOW
#include <candor/report/render.hpp>
#include <candor/report/report.hpp>
#include <candor/survey/parse.hpp>
#include <candor/time.hpp>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 6) return 2;
    auto survey = candor::survey::parse_file(argv[1]);
    if (!survey) {
        std::cerr << candor::render(survey.error());
        return 1;
    }
    candor::report::report_options options;
    options.reader_role = argv[4];
    options.now = candor::parse_timestamp(argv[5]).value_or(0);
    candor::report::report_files files{candor::report::json_lines_source{argv[2]}, argv[3], {}};
    auto model = candor::report::build_report(*survey, files, options);
    if (!model) {
        std::cerr << candor::render(model.error());
        return 1;
    }
    std::cout << candor::report::to_json(*model) << '\n';
    return 0;
}
