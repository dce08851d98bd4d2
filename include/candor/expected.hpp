// candor::expected<T, E>: a value, or the error of an operation that failed in an expected
// way. The member names are std::expected's (C++23), which g++ 12's C++20 lacks, so code
// written against it moves to std::expected by changing one alias. Candor's own calls all
// return candor::result<T> (error.hpp): expected over candor::errors.
// Thread safety: a value type; distinct objects may be used from distinct threads.
#pragma once

#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace candor {

template <class E>
class unexpected {
public:
    explicit unexpected(E e) : error_(std::move(e)) {}
    E& error() & { return error_; }
    E const& error() const& { return error_; }
    E&& error() && { return std::move(error_); }

private:
    E error_;
};

template <class E>
unexpected(E) -> unexpected<E>;

// Thrown only when a caller reads value() of a failed result: a broken invariant.
class bad_result_access : public std::logic_error {
public:
    bad_result_access() : std::logic_error("candor::result: value() called on an error") {}
};

template <class T, class E>
class [[nodiscard]] expected {
public:
    using value_type = T;
    using error_type = E;

    expected()
        requires std::is_default_constructible_v<T>
        : v_(std::in_place_index<0>) {}
    expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    expected(unexpected<E> e) : v_(std::in_place_index<1>, std::move(e).error()) {}  // NOLINT

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return check(), std::get<0>(v_); }
    T const& value() const& { return check(), std::get<0>(v_); }
    T&& value() && { return check(), std::move(std::get<0>(v_)); }
    T& operator*() & { return std::get<0>(v_); }
    T const& operator*() const& { return std::get<0>(v_); }
    T&& operator*() && { return std::move(std::get<0>(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    T const* operator->() const { return &std::get<0>(v_); }

    E& error() & { return std::get<1>(v_); }
    E const& error() const& { return std::get<1>(v_); }
    E&& error() && { return std::move(std::get<1>(v_)); }

    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    void check() const {
        if (!has_value()) throw bad_result_access();
    }
    std::variant<T, E> v_;
};

// expected<void, E>: success carries nothing.
template <class E>
class [[nodiscard]] expected<void, E> {
public:
    using value_type = void;
    using error_type = E;

    expected() = default;
    expected(unexpected<E> e) : error_(std::move(e).error()), ok_(false) {}  // NOLINT

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    void value() const {
        if (!ok_) throw bad_result_access();
    }
    E& error() & { return error_; }
    E const& error() const& { return error_; }
    E&& error() && { return std::move(error_); }

private:
    E error_{};
    bool ok_ = true;
};

}  // namespace candor
