// What a Spirit X3 parser of Candor's (the survey language, the org file) keeps beside the
// tree: where each node came from, and the syntax errors found. It stands in X3's context under x3::error_handler_tag, so that
// x3::annotate_on_success tags nodes through tag() and on_error reports through error().
#pragma once

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/unused.hpp>
#include <string>

namespace candor::util::parser {

class tracker {
public:
    explicit tracker(char const* begin) : begin_(begin) {}

    template <class It>
    void tag(boost::spirit::x3::position_tagged& node, It first, It last) const {
        node.id_first = static_cast<int>(first - begin_);
        node.id_last = static_cast<int>(last - begin_);
    }
    // Rules parsed only for their side effects have nothing to tag.
    template <class It>
    void tag(boost::spirit::x3::unused_type, It, It) const {}
    // The first expectation failure of a statement; later ones in it only echo the first.
    void error(char const* where, std::string what) {
        if (!error_) {
            error_ = true;
            where_ = where;
            what_ = std::move(what);
        }
    }
    bool has_error() const { return error_; }
    char const* where() const { return where_; }
    std::string const& what() const { return what_; }
    void clear() { error_ = false; }

private:
    char const* begin_;
    char const* where_ = nullptr;
    std::string what_;
    bool error_ = false;
};

}  // namespace candor::util::parser
