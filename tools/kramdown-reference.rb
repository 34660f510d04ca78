# Render Markdown from stdin the way Jekyll 4.3 + kramdown 2.4 (GFM parser) do,
# with Jekyll's effective options. Used to check fixture expectations.
# An optional argument is YAML as in _config.yml, e.g. "kramdown: {hard_wrap: true}":
# its kramdown options go over Jekyll's, as Jekyll passes them (kramdown validates them).
require "yaml"
require "kramdown"
require "kramdown-parser-gfm"
opts = {
  input: "GFM", hard_wrap: false, auto_ids: true, footnote_nr: 1,
  entity_output: :as_char, toc_levels: (1..6).to_a,
  smart_quotes: %w[lsquo rsquo ldquo rdquo], guess_lang: true,
  syntax_highlighter: "rouge",
  syntax_highlighter_opts: { default_lang: "plaintext", guess_lang: true },
  show_warnings: false,
}
config = ARGV[0] ? (YAML.safe_load(ARGV[0]) || {}) : {}
opts = opts.merge((config["kramdown"] || {}).transform_keys(&:to_sym))
print Kramdown::Document.new($stdin.read, opts).to_html
