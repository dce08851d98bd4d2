#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::number_literal, text)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::string_literal, text)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::bool_literal, value)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::name_ref, name)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::call, function, arguments)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::unary, operators, operand_)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::operation, operator_, operand_)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::expression, first, rest)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::list, items)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::text_entry, language, text)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::range, low, high)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::option, code, label)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::kind_spec, name, mode, options, bounds, number_type)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::condition_attr, keyword, condition)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::value_attr, keyword, value)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::labels_attr, keyword, low, high)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::other_attr, keyword, label)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::question_stmt, keyword, id, kind, attributes)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::languages_stmt, keyword, languages, default_language)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::title_stmt, keyword, title)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::field_decl, name, optional)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::fields_stmt, keyword, names)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::page_stmt, keyword, id, title)
BOOST_FUSION_ADAPT_STRUCT(candor::survey::ast::header, id, version)
