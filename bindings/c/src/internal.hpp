// What every C entry point shares: the handles' definitions, the thread's last error and
// the guard that turns any C++ exception into a status.
#pragma once

#include <cstring>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "candor.h"
#include "candor/error.hpp"
#include "candor/journal/journal.hpp"
#include "candor/survey/survey.hpp"

struct candor_survey {
    candor::survey::survey value;
};
struct candor_problems {
    candor::errors value;
};
struct candor_journal {
    candor::journal::journal value;
};

namespace candor::c_api {

// Sets the thread's last error and returns `status`.
candor_status fail(candor_status status, std::string message);
// The same with Candor's errors, rendered one per line.
candor_status fail(candor_status status, candor::errors const& all);
// The thread's last error is cleared by no call: it stays until the next failure.

// Writes `text` to the caller's buffer (see the convention in candor.h).
candor_status copy_out(std::string_view text, char* buf, std::size_t* size);

// Runs fn() (returning candor_status) and maps every exception to a status.
template <class Fn>
candor_status guarded(Fn&& fn) noexcept {
    try {
        return fn();
    } catch (std::bad_alloc const&) {
        return fail(CANDOR_OUT_OF_MEMORY, "out of memory");
    } catch (std::invalid_argument const& e) {
        return fail(CANDOR_INVALID_ARGUMENT, e.what());
    } catch (std::out_of_range const& e) {
        return fail(CANDOR_INVALID_ARGUMENT, e.what());
    } catch (std::system_error const& e) {
        return fail(CANDOR_IO_ERROR, e.what());
    } catch (std::exception const& e) {
        return fail(CANDOR_INTERNAL_ERROR, e.what());
    } catch (...) {
        return fail(CANDOR_INTERNAL_ERROR, "unknown exception");
    }
}

#define CANDOR_REQUIRE(cond, what)                                                   \
    do {                                                                             \
        if (!(cond)) return ::candor::c_api::fail(CANDOR_INVALID_ARGUMENT, (what)); \
    } while (0)

}  // namespace candor::c_api
