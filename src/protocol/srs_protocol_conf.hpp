// The nginx-style config syntax shared by SRS and nginx: directives, blocks, quotes, comments,
// include and ${ENV}. This layer only parses text into a tree; what the directives mean (their
// types, defaults and validation) is the app layer's table (srs_app_config_table.hpp).
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>

#include <memory>
#include <string>
#include <vector>

// One directive of a config file: `name arg0 arg1;` or a block `name args { children }`,
// with the file and line where it was written so that every error can point at it.
class SrsConfDirective {
public:
    explicit SrsConfDirective(std::string name = "", std::vector<std::string> args = {}, std::string file = "",
                              int line = 0);
    ~SrsConfDirective();
    SRS_DISALLOW_COPY(SrsConfDirective);

public:
    const std::string& name() const { return name_; }
    const std::vector<std::string>& args() const { return args_; }
    // The n-th argument, or an empty string when there are fewer.
    const std::string& arg(size_t index) const;
    const std::string& arg0() const { return arg(0); }
    const std::string& arg1() const { return arg(1); }
    const std::string& arg2() const { return arg(2); }
    // Where it was declared; the root of a parse has the top file and line 0.
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    // "file:line", the prefix of every message about this directive.
    std::string where() const;
    // Whether it was written as a block `name {...}`, even an empty one.
    bool is_block() const { return block_; }

    // Children, in file order.
    size_t size() const { return children_.size(); }
    bool empty() const { return children_.empty(); }
    const SrsConfDirective* at(size_t index) const { return children_[index].get(); }
    std::vector<const SrsConfDirective*> children() const;
    // The first child with this name (and first argument), or null.
    const SrsConfDirective* get(const std::string& name) const;
    const SrsConfDirective* get(const std::string& name, const std::string& arg0) const;
    // Every child with this name, in order.
    std::vector<const SrsConfDirective*> get_all(const std::string& name) const;

    // Deep equality of name, args, block-ness and children (recursively, in order); file and
    // line are ignored, so the same config read from two files is equal.
    bool equals(const SrsConfDirective& other) const;
    // Deep copy, keeping file and line.
    std::unique_ptr<SrsConfDirective> copy() const;
    // The directive (and children) as config text, quoting arguments that need it; the root
    // (empty name) prints only its children.
    std::string dumps(int indent = 0) const;

    // Building and transforming a tree (the parser, the app's legacy transform, tests).
    void set_name(const std::string& name) { name_ = name; }
    void set_args(std::vector<std::string> args) { args_ = std::move(args); }
    void set_block(bool block) { block_ = block; }
    void set_location(const std::string& file, int line);
    SrsConfDirective* mutable_at(size_t index) { return children_[index].get(); }
    SrsConfDirective* mutable_get(const std::string& name);
    // Appends a child and returns it.
    SrsConfDirective* add(std::unique_ptr<SrsConfDirective> child);
    SrsConfDirective* add(const std::string& name, std::vector<std::string> args = {});
    // The first child with this name, created as an (empty) block at the end when missing.
    SrsConfDirective* get_or_create_block(const std::string& name);
    // Detaches the child at index and returns it.
    std::unique_ptr<SrsConfDirective> remove(size_t index);

private:
    std::string name_;
    std::vector<std::string> args_;
    std::string file_;
    int line_;
    bool block_;
    std::vector<std::unique_ptr<SrsConfDirective>> children_;
};

// Parses config text into a tree of SrsConfDirective.
//
// Syntax (nginx's, as SRS reads it):
// - `name arg1 arg2;` and blocks `name args { ... }`; whitespace (space, tab, CR, LF) separates.
// - `#` at the start of a token starts a comment to the end of the line; inside a word
//   (`http://host/#x`) or in quotes it is an ordinary character.
// - Single or double quotes make one argument that may hold spaces, `;`, `{`, `}` and `#`.
//   Inside quotes, a backslash escapes the quote character and the backslash itself
//   (`"say \"hi\""`, `'it\'s'`); any other backslash is kept as is. An empty `""` is an
//   empty argument. A closing quote must be followed by whitespace, `;`, `{` or `}`.
// - `include file1 [file2...];` anywhere (top level or inside a block) splices the files'
//   directives in place. A relative path is relative to the directory of the including file
//   (for parse_string, the current directory). Wildcards (`conf.d/*.conf`) expand sorted and
//   may match nothing. Includes nest; a cycle is an error.
// - `${VAR}` anywhere in an unquoted or double-quoted argument is replaced by the environment
//   variable VAR; `${VAR:-text}` gives text when VAR is unset or empty. An unset VAR without
//   a default becomes an empty string and adds a warning. Single quotes keep `${VAR}` literally.
//   A bare `$VAR` (SRS's `candidate $CANDIDATE;`) is left as is for the directive to interpret.
//
// Errors name file:line and what is wrong; codes are ERROR_SYSTEM_CONFIG_*.
class SrsConfParser {
public:
    SrsConfParser();
    ~SrsConfParser();
    SRS_DISALLOW_COPY(SrsConfParser);

public:
    srs_error_t parse_file(const std::string& path, std::unique_ptr<SrsConfDirective>* root);
    // name is used in messages and as the file of the directives.
    srs_error_t parse_string(const std::string& content, const std::string& name,
                             std::unique_ptr<SrsConfDirective>* root);
    // Non-fatal findings (unset environment variables), each "file:line: text".
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    class Lexer;
    srs_error_t parse_block(Lexer& lex, SrsConfDirective* parent, const SrsConfDirective* opener);
    srs_error_t include(const SrsConfDirective& inc, SrsConfDirective* parent);
    srs_error_t parse_included(const std::string& path, const SrsConfDirective& inc, SrsConfDirective* parent);
    std::vector<std::string> stack_;  // Canonical paths of the files being parsed, for cycles.
    std::string base_dir_;            // Directory for relative includes of the current file.
    std::vector<std::string> warnings_;
};

// Reads a whole file; ERROR_SYSTEM_FILE_NOT_EXISTS or ERROR_SYSTEM_FILE_READ.
srs_error_t srs_conf_read_file(const std::string& path, std::string* content);
