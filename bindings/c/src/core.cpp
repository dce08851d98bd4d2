// Status names, the thread's last error, the version.
#include "candor/version.hpp"
#include "internal.hpp"

namespace candor::c_api {
namespace {
thread_local std::string last_error;
}

candor_status fail(candor_status status, std::string message) {
    try {
        last_error = std::move(message);
    } catch (...) {  // keep the status even when the text cannot be stored
    }
    return status;
}

candor_status fail(candor_status status, candor::errors const& all) {
    auto text = render(all);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return fail(status, std::move(text));
}

candor_status copy_out(std::string_view text, char* buf, std::size_t* size) {
    if (size == nullptr) return fail(CANDOR_INVALID_ARGUMENT, "size is NULL");
    std::size_t room = buf == nullptr ? 0 : *size;
    *size = text.size() + 1;
    if (room >= text.size() + 1) {
        std::memcpy(buf, text.data(), text.size());
        buf[text.size()] = '\0';
        return CANDOR_OK;
    }
    if (room > 0) {
        std::memcpy(buf, text.data(), room - 1);
        buf[room - 1] = '\0';
    }
    return CANDOR_BUFFER_TOO_SMALL;
}

}  // namespace candor::c_api

using namespace candor::c_api;

extern "C" {

const char* candor_status_name(candor_status status) {
    switch (status) {
    case CANDOR_OK: return "ok";
    case CANDOR_INVALID_ARGUMENT: return "invalid-argument";
    case CANDOR_PARSE_ERROR: return "parse-error";
    case CANDOR_REJECTED: return "rejected";
    case CANDOR_IO_ERROR: return "io-error";
    case CANDOR_BUFFER_TOO_SMALL: return "buffer-too-small";
    case CANDOR_OUT_OF_MEMORY: return "out-of-memory";
    case CANDOR_INTERNAL_ERROR: return "internal-error";
    }
    return "unknown-status";
}

candor_status candor_last_error(char* buf, size_t* size) {
    // Not through fail(): reading the error must not replace it.
    if (size == nullptr) return CANDOR_INVALID_ARGUMENT;
    std::size_t room = buf == nullptr ? 0 : *size;
    std::string const& text = last_error;
    *size = text.size() + 1;
    if (room >= text.size() + 1) {
        std::memcpy(buf, text.data(), text.size() + 1);
        return CANDOR_OK;
    }
    if (room > 0) {
        std::memcpy(buf, text.data(), room - 1);
        buf[room - 1] = '\0';
    }
    return CANDOR_BUFFER_TOO_SMALL;
}

const char* candor_version(void) { return candor::version(); }

candor_status candor_version_numbers(int* major, int* minor, int* patch) {
    CANDOR_REQUIRE(major && minor && patch, "NULL out-parameter");
    *major = CANDOR_VERSION_MAJOR;
    *minor = CANDOR_VERSION_MINOR;
    *patch = CANDOR_VERSION_PATCH;
    return CANDOR_OK;
}

}  // extern "C"
