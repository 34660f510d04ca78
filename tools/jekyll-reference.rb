# Real Jekyll's answers for tools/jekyll_fixture.py: reads {"kind": ..., "cases": [...]} as JSON
# on stdin, prints a JSON list of answers (one per case).  Needs Debian's `jekyll` package.
#
#   slugify:    {"input", "mode" (or null), "cased"}           -> Jekyll::Utils.slugify
#   filters:    {"config", "front_matter", "template"}         -> the template rendered by Jekyll's Liquid
#               with that front matter as `page` (errors as "ERROR: ...")
#   permalinks: {"config", "file", "front_matter"}             -> url, title, slug, categories, tags, date
require "json"
require "tmpdir"
require "yaml"
require "jekyll"

Jekyll.logger.log_level = :error
request = JSON.parse($stdin.read)

def build(config_yaml, files)
  Dir.mktmpdir do |dir|
    File.write(File.join(dir, "_config.yml"), config_yaml)
    files.each do |name, text|
      path = File.join(dir, name)
      FileUtils.mkdir_p(File.dirname(path))
      File.write(path, text)
    end
    overrides = { "source" => dir, "destination" => File.join(dir, "_site"), "quiet" => true }
    config = Jekyll.configuration(overrides.merge("config" => File.join(dir, "_config.yml")))
    site = Jekyll::Site.new(config)
    site.process
    yield site
  end
end

def page_file(front_matter, body)
  "---\n#{front_matter}\n---\n#{body}"
end

answers =
  case request["kind"]
  when "slugify"
    request["cases"].map do |c|
      Jekyll::Utils.slugify(c["input"], :mode => c["mode"], :cased => c["cased"])
    end
  when "filters"
    answers = []
    request["cases"].group_by { |c| c["config"] }.each do |config, cases|
      build(config, {}) do |site|
        cases.each do |c|
          data = Jekyll::Utils.safe_load_yaml(c["front_matter"]) || {}
          payload = site.site_payload
          payload["page"] = data
          info = { :registers => { :site => site, :page => data }, :strict_filters => true }
          answers[request["cases"].index(c)] =
            begin
              Liquid::Template.parse(c["template"]).render!(payload, info)
            rescue StandardError => e
              "ERROR: #{e.class}: #{e.message}"
            end
        end
      end
    end
    answers
  when "permalinks"
    answers = []
    request["cases"].group_by { |c| c["config"] }.each do |config, cases|
      files = cases.to_h { |c| [c["file"], page_file(c["front_matter"], "x\n")] }
      build(config, files) do |site|
        found = (site.documents + site.pages).to_h { |doc| [doc.relative_path, doc] }
        cases.each do |c|
          doc = found.fetch(c["file"])
          data = doc.data
          answers[request["cases"].index(c)] = {
            "url" => doc.url,
            "title" => data["title"].to_s,
            "slug" => data["slug"].to_s,
            "categories" => Array(data["categories"]).join(" | "),
            "tags" => Array(data["tags"]).join(" | "),
            "date" => data["date"].respond_to?(:xmlschema) ? data["date"].xmlschema : "",
          }
        end
      end
    end
    answers
  end
puts JSON.generate(answers)
