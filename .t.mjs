import { parseEvents, loadAll } from 'js-yaml'
import { K8S_YAML_SCHEMA } from './src/core/parse/schema.ts'
for (let t of process.argv.slice(2)) { t = t.replace(/\\n/g,'\n').replace(/\\r/g,'\r').replace(/\\t/g,'\t').replace(/\\B/g,'\uFEFF')
try { const ev = parseEvents(t); console.log(JSON.stringify(t), JSON.stringify(loadAll(t,{schema:K8S_YAML_SCHEMA})), ev.filter(e=>e.type!==6).map(e=>e.type+':'+(e.start??e.valueStart)+(e.type===4?'-'+e.valueEnd+'/'+e.indent:'')).join(' ')) } catch (e) { console.log(JSON.stringify(t), 'ERR', e.message.split('\n')[0]) } }
