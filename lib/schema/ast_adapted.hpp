#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::number_literal, text)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::string_literal, text)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::bool_literal, value)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::name_ref, name)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::call, function, arguments)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::unary, operators, operand_)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::operation, operator_, operand_)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::expression, first, rest)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::list, items)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::text_entry, language, text)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::range, low, high)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::option, code, label)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::kind_spec, name, mode, options, bounds, number_type)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::condition_attr, keyword, condition)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::value_attr, keyword, value)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::labels_attr, keyword, low, high)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::other_attr, keyword, label)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::question_stmt, keyword, id, kind, attributes)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::languages_stmt, keyword, languages, default_language)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::title_stmt, keyword, title)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::fields_stmt, keyword, names)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::page_stmt, keyword, id, title)
BOOST_FUSION_ADAPT_STRUCT(candor::schema::ast::header, id, version)
