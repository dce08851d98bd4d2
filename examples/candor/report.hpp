// `candor report`: the head-office report. report.cpp gathers one JSON model (the figures
// of `candor stats`, changes, cases, quality flags, verbatims); the renderers only format it.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace candor::cli {

// One self-contained page: inline CSS and SVG, no script, every text from the data escaped.
void render_html(std::ostream& out, nlohmann::json const& report);
// Plain tables for a terminal.
void render_text(std::ostream& out, nlohmann::json const& report);

// One number in a printf format ("%+.1f"): the renderers' only way of printing figures.
std::string number_text(char const* format, double x);
// A JSON number, or NaN for null (a figure of too few cards).
double number_of(nlohmann::json const& j);
// A JSON string's text, or "" for null (not known).
std::string str(nlohmann::json const& j);

// Text made safe inside HTML and SVG elements and attribute values.
std::string html_escape(std::string_view text);

}  // namespace candor::cli
