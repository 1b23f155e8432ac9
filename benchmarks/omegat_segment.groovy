// Segment paragraphs with OmegaT's own engine, for benchmarks/segmentation.py.
//
//   java -cp /usr/share/java/groovy-all.jar:/usr/share/omegat/OmegaT.jar groovy.ui.GroovyMain \
//        benchmarks/omegat_segment.groovy RULES LANG PARAGRAPHS.txt
//
// RULES is an SRX 2.0 file, read with OmegaT's own SRX 2.0 binding (gen.core.segmentation.Srx,
// the JAXB classes it loads its defaultRules.srx with), or "default" for OmegaT's shipped rules.
// Input: one paragraph per line (LANG "-": "lang<TAB>paragraph" per line); output: one line per
// paragraph, its segments joined by tabs. Also used by tests/aligner/test_srx.py.
import gen.core.segmentation.Srx
import org.omegat.core.segmentation.*
import org.omegat.util.Language
import javax.xml.bind.JAXBContext

def conf
if (args[0] == 'default') {
  conf = SRX.getDefault()
} else {
  def srx = (Srx) JAXBContext.newInstance(Srx).createUnmarshaller().unmarshal(new File(args[0]))
  def maps = []
  srx.body.maprules.languagemap.each { lm ->
    def lr = srx.body.languagerules.languagerule.find { it.languagerulename == lm.languagerulename }
    def rules = lr.rule.collect { r ->
      new Rule(r.break != 'no', r.beforebreak?.content ?: '', r.afterbreak?.content ?: '')
    }
    maps << new MapRule(lr.languagerulename, lm.languagepattern, rules)
  }
  conf = new SRX()
  conf.setMappingRules(maps)
}
def seg = new Segmenter()
seg.setSRX(conf)
// LANG "-": each input line is "lang<TAB>paragraph", so one JVM serves several languages
def fixed = args[1] == '-' ? null : new Language(args[1])
new File(args[2]).eachLine('UTF-8') { line ->
  def lang = fixed
  def text = line
  if (fixed == null) {
    def parts = line.split('\t', 2)
    lang = new Language(parts[0])
    text = parts.length > 1 ? parts[1] : ''
  }
  println(seg.segment(lang, text, null, null).collect { it.trim() }.join('\t'))
}
