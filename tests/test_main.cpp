// The tests' main: doctest's, but a filter that selects no test case fails. CTest runs each
// case by name (doctest_discover_tests); a name CMake cannot carry (a `;` splits its list)
// would otherwise run nothing and pass.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

namespace {

unsigned selected = 0;

struct count_selected : doctest::IReporter {
    explicit count_selected(doctest::ContextOptions const&) {}
    void report_query(doctest::QueryData const&) override {}
    void test_run_start() override {}
    void test_run_end(doctest::TestRunStats const& s) override {
        selected = s.numTestCasesPassingFilters;
    }
    void test_case_start(doctest::TestCaseData const&) override {}
    void test_case_reenter(doctest::TestCaseData const&) override {}
    void test_case_end(doctest::CurrentTestCaseStats const&) override {}
    void test_case_exception(doctest::TestCaseException const&) override {}
    void subcase_start(doctest::SubcaseSignature const&) override {}
    void subcase_end() override {}
    void log_assert(doctest::AssertData const&) override {}
    void log_message(doctest::MessageData const&) override {}
    void test_case_skipped(doctest::TestCaseData const&) override {}
};

}  // namespace

REGISTER_LISTENER("candor-count-selected", 1, count_selected);

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    int const failed = context.run();
    if (failed != 0 || context.shouldExit()) return failed;
    if (selected == 0) {
        std::fputs("no test case matches the filters: nothing was tested\n", stderr);
        return 1;
    }
    return 0;
}
