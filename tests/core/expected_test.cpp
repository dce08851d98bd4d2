#include <doctest/doctest.h>

#include <string>

#include "candor/error.hpp"

using candor::expected;
using candor::unexpected;

namespace {
expected<int, std::string> half(int x) {
    if (x % 2) return unexpected(std::string("odd"));
    return x / 2;
}
}  // namespace

TEST_CASE("result holds a value or an error, with std::expected's names") {
    auto ok = half(8);
    REQUIRE(ok.has_value());
    CHECK(static_cast<bool>(ok));
    CHECK(*ok == 4);
    CHECK(ok.value() == 4);
    CHECK(ok.value_or(0) == 4);

    auto bad = half(3);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error() == "odd");
    CHECK(bad.value_or(-1) == -1);
    CHECK_THROWS_AS(bad.value(), candor::bad_result_access);
}

TEST_CASE("result<void> reports success or the error") {
    expected<void, std::string> fine;
    CHECK(fine.has_value());
    expected<void, std::string> broken = unexpected(std::string("no"));
    CHECK_FALSE(broken.has_value());
    CHECK(broken.error() == "no");
    CHECK_THROWS_AS(broken.value(), candor::bad_result_access);
}
