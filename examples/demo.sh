#!/usr/bin/env bash
# The main job on the bundled examples: read → align → TMX → look up → QA.
# `make demo` runs this with the project's virtual environment first on PATH.
set -euo pipefail
out=${1:-out}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Read the Chinese communiqué as extracted from its PDF: paragraphs rebuilt, page furniture dropped" \
  untm segment "$here/A72-samarkand-communique.zh.txt" --lang zh --format json -o "$out/samarkand.zh.json"
echo "The paragraph that crosses a page break in the PDF, rebuilt whole:"
untm segment "$here/A72-samarkand-communique.zh.txt" --lang zh | awk '/^#/{p=0} /与会者满意地注意到/{p=1} p'

step "Align the Universal Declaration of Human Rights in Russian, Chinese and English (pivot: ru)" \
  untm align "$here/udhr/rus.html" "$here/udhr/cmn_hans.html" "$here/udhr/eng.html" \
    --lang ru --lang zh --lang en -o "$out/udhr.ru-zh-en.tmx"

step "Check the memory against the TMX 1.4b DTD and the CAT-tool rules" \
  untm tmx validate "$out/udhr.ru-zh-en.tmx"

step "Bilingual ru→zh copy for Trados/Phrase" \
  untm tmx split "$out/udhr.ru-zh-en.tmx" --pair ru-zh -o "$out/udhr.ru-zh.tmx"

step "Load the memory into a searchable store and look up a phrase" \
  untm tm import "$out/udhr.ru-zh-en.tmx" --tm "$out/memory.sqlite"
untm tm search "достоинстве" --lang ru --tm "$out/memory.sqlite" --format tsv | head -3

step "Look up a term: a non-UN name and what to use instead" \
  untm term lookup 南朝鲜

step "QA the communiqué against the UN termbase (report: $out/samarkand.qa.html)" \
  untm qa "$here/A72-samarkand-communique.zh.txt" --fail-on never
untm qa "$here/A72-samarkand-communique.zh.txt" --format html -o "$out/samarkand.qa.html" --fail-on never

printf '\nOutputs in %s/:\n' "$out"
ls -1 "$out" | sed 's/^/  /'
printf '\nNext: untm serve --tm %s/memory.sqlite   (then open http://127.0.0.1:8080/?q=南朝鲜)\n' "$out"
