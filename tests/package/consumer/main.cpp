// Reads a survey and checks a response, as a property-management system would.
#include <candor/response/validate.hpp>
#include <candor/survey/parse.hpp>
#include <candor/version.hpp>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    auto survey = candor::survey::parse_file(argv[1]);
    if (!survey) {
        std::cerr << candor::render(survey.error());
        return 1;
    }
    candor::response::response r;
    r.survey = survey->id;
    r.version = survey->version;
    auto problems = candor::response::validate(*survey, r);
    std::cout << survey->id << " v" << survey->version << ": " << survey->questions.size()
              << " questions; an empty card has " << problems.size() << " problems (candor "
              << candor::version() << ")\n";
    return problems.empty() ? 1 : 0;  // an empty card must be refused
}
