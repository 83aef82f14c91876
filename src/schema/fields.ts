/**
 * The canonical fields of each record kind and the column headers that mean them, in English and
 * Spanish, covering the common exports (Zendesk, Freshdesk, Intercom, SurveyMonkey, Qualtrics,
 * Typeform, contact-centre logs, ERP returns and invoices). This is data, not code: a new preset
 * is a new alias here, never a branch in the normalizer.
 *
 * Headers are compared after `normalizeHeader` (case, accents, spaces and punctuation folded), so
 * `Fecha de creación`, `fecha_creacion` and `FECHA-CREACION` are one alias away from each other.
 */
import type { RecordKind } from './records.js';

export type FieldType =
  /** An identifier, kept as trimmed text. */
  | 'id'
  /** Free text (comments, subjects): kept as is, control characters removed at render time. */
  | 'text'
  /** A category (channel, priority…): trimmed, value-mapped, lower-cased for channel-like fields. */
  | 'category'
  /** An instant: any supported date/time shape, or a date with a companion time-of-day column. */
  | 'timestamp'
  /** A time of day completing the timestamp field named in `completes`. */
  | 'time_of_day'
  | 'number'
  /** A non-negative whole number (replies, reopens, units). */
  | 'count'
  | 'money'
  /** A duration; a bare number is read in the unit the header names, else `unit`. */
  | 'duration'
  | 'boolean'
  /** 0-10 whole number. */
  | 'nps'
  /** A rating on a configured scale (csat, ces, review score, frustration). */
  | 'score'
  /** A closed list of values (survey type, status) decided by `values`. */
  | 'enum';

export interface FieldSpec {
  type: FieldType;
  /** Header aliases, written naturally; they are normalized when the table loads. */
  aliases: readonly string[];
  /** How much a match says about the kind (distinctive fields weigh more). Default 1. */
  weight?: number;
  /** For `duration`: what a bare number means when the header does not say. */
  unit?: 's' | 'min' | 'h' | 'd';
  /** For `time_of_day`: the timestamp field it completes. */
  completes?: string;
  /** For `enum` and `boolean`: accepted words (normalized) -> canonical value. */
  values?: Readonly<Record<string, string | boolean>>;
  /** For `score`: which scale from the config applies. */
  scale?: 'csat' | 'ces' | 'review' | 'frustration' | 'social';
  /**
   * Words that mean "no value here, but something happened" (normalized) -> flags set on the
   * record: Zendesk writes `Offered` in the rating column for a survey sent and not answered.
   */
  sentinels?: Readonly<Record<string, Readonly<Record<string, boolean | string>>>>;
}

export interface KindSpec {
  label: string;
  /** What DESIGN.md says the kind needs at least: one of these field groups must all be mapped. */
  needs: readonly (readonly string[])[];
  /** Words in a file name that suggest the kind (normalized, matched as whole words). */
  fileHints: readonly string[];
  /** Field that identifies a record for de-duplication. */
  idField: string;
  fields: Readonly<Record<string, FieldSpec>>;
}

const CUSTOMER_ID = [
  'customer id', 'customer', 'customer_id', 'customerid', 'client id', 'client', 'requester id', 'requester external id',
  'requester', 'user id', 'contact id', 'account id', 'id cliente', 'cliente', 'codigo cliente', 'cod cliente',
  'numero de cliente', 'n cliente', 'no cliente', 'nº cliente', 'id del cliente', 'usuario', 'customer unique id',
];

const CHANNEL = ['channel', 'via', 'via channel', 'source', 'medium', 'canal', 'medio', 'origen', 'submitted via', 'received via', 'ticket channel', 'touchpoint channel', 'canal de contacto'];

const SATISFACTION = [
  'csat', 'satisfaction', 'satisfaction score', 'satisfaction rating', 'satisfaction rating score', 'customer satisfaction',
  'customer satisfaction rating', 'csat score', 'rating', 'satisfaccion', 'puntuacion satisfaccion', 'valoracion', 'nota satisfaccion',
  'satisfaccion cliente', 'grado de satisfaccion', 'csat rating',
];

/** Zendesk and others write the survey state into the rating column. */
const CSAT_SENTINELS = {
  offered: { csatOffered: true },
  'survey offered': { csatOffered: true },
  ofrecida: { csatOffered: true },
  enviada: { csatOffered: true },
  unoffered: {},
  'not offered': {},
  'no ofrecida': {},
} as const;

const SURVEY_TYPE = {
  relational: 'relational', relationship: 'relational', relacional: 'relational', periodic: 'relational',
  transactional: 'transactional', transaccional: 'transactional', transaction: 'transactional', touchpoint: 'transactional',
} as const;

const SURVEY_STATUS = {
  invited: 'invited', sent: 'invited', delivered: 'invited', offered: 'invited', pending: 'invited', unanswered: 'invited',
  'not answered': 'invited', enviada: 'invited', enviado: 'invited', pendiente: 'invited', 'sin respuesta': 'invited', 'no respondida': 'invited',
  answered: 'answered', completed: 'answered', complete: 'answered', responded: 'answered', submitted: 'answered', respondida: 'answered',
  respondido: 'answered', completada: 'answered', contestada: 'answered',
} as const;

export const KINDS: Readonly<Record<RecordKind, KindSpec>> = {
  survey: {
    label: 'survey answers',
    needs: [['nps'], ['csat'], ['ces']],
    fileHints: ['survey', 'surveys', 'nps', 'csat', 'ces', 'encuesta', 'encuestas', 'respuestas', 'responses', 'feedback', 'reviews', 'review'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['response id', 'respondent id', 'answer id', 'survey response id', 'review id', 'id respuesta', 'id de respuesta', 'respuesta id', 'responseid', 'submission id'], weight: 1 },
      submittedAt: { type: 'timestamp', aliases: ['submitted at', 'submitted', 'date submitted', 'response date', 'completed at', 'end date', 'enddate', 'recorded date', 'review creation date', 'review answer timestamp', 'answered at', 'date', 'fecha', 'fecha respuesta', 'fecha de respuesta', 'fecha envio', 'timestamp', 'created at'] },
      customerId: { type: 'id', aliases: CUSTOMER_ID },
      orderId: { type: 'id', aliases: ['order id', 'order', 'pedido', 'id pedido', 'n pedido', 'no pedido', 'numero de pedido'] },
      ticketId: { type: 'id', aliases: ['ticket id', 'ticket', 'id ticket', 'incidencia'] },
      channel: { type: 'category', aliases: CHANNEL },
      touchpoint: { type: 'category', aliases: ['touchpoint', 'touch point', 'punto de contacto', 'journey step', 'interaction'] },
      surveyType: { type: 'enum', aliases: ['survey type', 'type', 'tipo de encuesta', 'tipo encuesta', 'tipo'], values: SURVEY_TYPE },
      segment: { type: 'category', aliases: ['segment', 'customer segment', 'segmento', 'market', 'business type'] },
      nps: { type: 'nps', aliases: ['nps', 'nps score', 'score', 'likelihood to recommend', 'likely to recommend', 'recommend', 'recommendation score', 'how likely are you to recommend', 'ltr', 'puntuacion', 'puntuacion nps', 'nota', 'recomendacion', 'probabilidad de recomendar', 'valoracion nps'], weight: 3 },
      csat: { type: 'score', scale: 'csat', aliases: [...SATISFACTION, 'review score', 'review_score'], weight: 3 },
      ces: { type: 'score', scale: 'ces', aliases: ['ces', 'customer effort', 'customer effort score', 'effort', 'effort score', 'ease', 'esfuerzo', 'ces score', 'facilidad', 'puntuacion esfuerzo'], weight: 3 },
      comment: { type: 'text', aliases: ['comment', 'comments', 'feedback', 'verbatim', 'open text', 'why', 'reason for score', 'review comment message', 'comentario', 'comentarios', 'motivo', 'observaciones', 'texto', 'opinion'] },
      status: { type: 'enum', aliases: ['status', 'response status', 'estado', 'estado respuesta', 'survey status'], values: SURVEY_STATUS },
    },
  },
  ticket: {
    label: 'help-desk tickets',
    needs: [['id'], ['createdAt']],
    fileHints: ['ticket', 'tickets', 'incidencias', 'incidencia', 'cases', 'case', 'casos', 'helpdesk', 'support', 'soporte', 'complaints', 'complaint', 'reclamaciones', 'quejas', 'conversations'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['ticket id', 'ticket', 'ticket number', 'ticket no', 'ticket #', 'id', 'case id', 'case number', 'complaint id', 'conversation id', 'id ticket', 'n ticket', 'no ticket', 'numero de ticket', 'id incidencia', 'n incidencia', 'no incidencia', 'id reclamacion', 'n reclamacion'], weight: 2 },
      createdAt: { type: 'timestamp', aliases: ['created at', 'created', 'created date', 'creation date', 'date created', 'opened at', 'opened', 'date received', 'received at', 'fecha creacion', 'fecha de creacion', 'fecha alta', 'fecha apertura', 'fecha de apertura', 'creado', 'date', 'fecha'], weight: 1 },
      createdAtTime: { type: 'time_of_day', completes: 'createdAt', aliases: ['time', 'hora', 'created time', 'hora creacion'] },
      updatedAt: { type: 'timestamp', aliases: ['updated at', 'updated', 'last updated', 'last modified', 'modified at', 'fecha actualizacion', 'actualizado'] },
      customerId: { type: 'id', aliases: CUSTOMER_ID },
      type: { type: 'category', aliases: ['type', 'ticket type', 'issue type', 'tipo', 'tipo de ticket', 'tipo de incidencia', 'tipo incidencia'] },
      channel: { type: 'category', aliases: CHANNEL },
      category: { type: 'category', aliases: ['category', 'categories', 'topic', 'issue', 'product', 'reason', 'tags', 'ticket subject category', 'manual tagging of categories', 'manual tagging of categories list', 'categoria', 'tema', 'motivo', 'asunto categoria'] },
      priority: { type: 'category', aliases: ['priority', 'ticket priority', 'urgency', 'prioridad', 'urgencia'] },
      // Not plain `state`: complaint exports (CFPB, Comcast) use `State` for the US state.
      status: { type: 'category', aliases: ['status', 'ticket status', 'ticket state', 'conversation state', 'estado', 'situacion'] },
      group: { type: 'category', aliases: ['group', 'team', 'queue', 'department', 'grupo', 'equipo', 'departamento'] },
      agent: { type: 'category', aliases: ['agent', 'assignee', 'assigned to', 'owner', 'agente', 'asignado a', 'responsable', 'tecnico'] },
      subject: { type: 'text', aliases: ['subject', 'title', 'ticket subject', 'summary', 'customer complaint', 'asunto', 'titulo', 'resumen'] },
      firstResponseAt: { type: 'timestamp', aliases: ['first reply at', 'first response at', 'first replied at', 'first response time', 'first reply time', 'fecha primera respuesta', 'primera respuesta'], weight: 2 },
      resolvedAt: { type: 'timestamp', aliases: ['solved at', 'resolved at', 'closed at', 'resolution date', 'date resolved', 'date closed', 'time to resolution', 'fecha resolucion', 'fecha de resolucion', 'fecha cierre', 'fecha de cierre', 'resuelto', 'cerrado'], weight: 2 },
      replies: { type: 'count', aliases: ['replies', 'agent replies', 'public replies', 'number of replies', 'replies count', 'metrics replies', 'metric set replies', 'respuestas agente', 'n respuestas', 'numero de respuestas'], weight: 2 },
      reopens: { type: 'count', aliases: ['reopens', 'reopen count', 'times reopened', 'metrics reopens', 'metric set reopens', 'reaperturas', 'n reaperturas', 'reabierto'], weight: 2 },
      contacts: { type: 'count', aliases: ['contacts', 'customer contacts', 'contacts to resolve', 'interactions', 'contactos', 'n contactos'] },
      fcr: { type: 'boolean', aliases: ['fcr', 'first contact resolution', 'resolved on first contact', 'one touch', 'resuelto en primer contacto', 'resolucion primer contacto'] },
      csat: { type: 'score', scale: 'csat', aliases: SATISFACTION, sentinels: CSAT_SENTINELS },
      firstResponseSeconds: { type: 'duration', unit: 'min', aliases: ['first reply time in minutes', 'first response time in minutes', 'first reply time minutes', 'tiempo primera respuesta', 'tiempo de primera respuesta', 'frt'], weight: 2 },
      firstResponseBusinessSeconds: { type: 'duration', unit: 'min', aliases: ['first reply time in minutes within business hours', 'first response time business hours', 'tiempo primera respuesta horario laboral'], weight: 2 },
      resolutionSeconds: { type: 'duration', unit: 'min', aliases: ['full resolution time in minutes', 'resolution time in minutes', 'time to resolve', 'tiempo de resolucion', 'tiempo resolucion'], weight: 2 },
      resolutionBusinessSeconds: { type: 'duration', unit: 'min', aliases: ['full resolution time in minutes within business hours', 'resolution time business hours', 'tiempo de resolucion horario laboral'], weight: 2 },
      requesterWaitSeconds: { type: 'duration', unit: 'min', aliases: ['requester wait time in minutes', 'requester wait time', 'tiempo de espera del cliente'] },
      requesterWaitBusinessSeconds: { type: 'duration', unit: 'min', aliases: ['requester wait time in minutes within business hours'] },
    },
  },
  call: {
    label: 'contact-centre calls',
    needs: [['id'], ['startedAt']],
    fileHints: ['call', 'calls', 'llamadas', 'llamada', 'callcenter', 'contact centre', 'contact center', 'telephony', 'telefonia', 'ivr', 'acd'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['call id', 'call', 'callid', 'call_id', 'interaction id', 'contact id', 'id llamada', 'llamada', 'n llamada', 'id de llamada'], weight: 2 },
      startedAt: { type: 'timestamp', aliases: ['started at', 'start time', 'call start', 'call date', 'date', 'datetime', 'fecha', 'fecha llamada', 'inicio', 'fecha inicio', 'vru entry'], weight: 1 },
      startedAtTime: { type: 'time_of_day', completes: 'startedAt', aliases: ['time', 'hora', 'call time', 'hora llamada', 'hora inicio', 'vru entry'] },
      customerId: { type: 'id', aliases: [...CUSTOMER_ID, 'caller id', 'caller', 'llamante'] },
      queue: { type: 'category', aliases: ['queue', 'skill', 'service', 'line', 'cola', 'servicio', 'vru line', 'type', 'topic'] },
      channel: { type: 'category', aliases: ['channel', 'canal', 'media type'] },
      category: { type: 'category', aliases: ['topic', 'reason', 'category', 'call reason', 'motivo', 'categoria', 'tema'] },
      agent: { type: 'category', aliases: ['agent', 'agent name', 'server', 'operator', 'agente', 'operador', 'gestor'] },
      answered: { type: 'boolean', aliases: ['answered', 'answered y n', 'handled', 'atendida', 'contestada', 'respondida'], weight: 3 },
      abandoned: { type: 'boolean', aliases: ['abandoned', 'abandon', 'is abandoned', 'abandonada', 'colgada', 'abandono'], weight: 3 },
      waitSeconds: { type: 'duration', unit: 's', aliases: ['wait', 'wait time', 'queue time', 'speed of answer', 'speed of answer seconds', 'speed of answer in seconds', 'time to answer', 'q time', 'espera', 'espera s', 'tiempo de espera', 'tiempo en cola'], weight: 2 },
      talkSeconds: { type: 'duration', unit: 's', aliases: ['talk', 'talk time', 'talk duration', 'avgtalkduration', 'conversation', 'duration', 'call duration', 'handle time talk', 'ser time', 'conversacion', 'conversacion s', 'duracion', 'tiempo de conversacion'], weight: 2 },
      holdSeconds: { type: 'duration', unit: 's', aliases: ['hold', 'hold time', 'on hold', 'espera en retencion', 'espera en retencion s', 'retencion', 'tiempo en espera'], weight: 2 },
      conferenceSeconds: { type: 'duration', unit: 's', aliases: ['conference', 'conference time', 'conferencia', 'tiempo de conferencia'] },
      wrapSeconds: { type: 'duration', unit: 's', aliases: ['wrap', 'wrap up', 'wrap-up', 'wrap up time', 'after call work', 'acw', 'postllamada', 'postllamada s', 'tiempo postllamada', 'tiempo de cierre'], weight: 2 },
      fcr: { type: 'boolean', aliases: ['fcr', 'resolved', 'first call resolution', 'resolved on first contact', 'resuelta', 'resuelta en primer contacto', 'resuelto en primer contacto'] },
      csat: { type: 'score', scale: 'csat', aliases: SATISFACTION, sentinels: CSAT_SENTINELS },
    },
  },
  order: {
    label: 'orders',
    needs: [['id']],
    fileHints: ['order', 'orders', 'pedidos', 'pedido', 'ventas', 'sales', 'purchases', 'compras'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['order id', 'order', 'order number', 'order no', 'id pedido', 'pedido', 'n pedido', 'no pedido', 'numero de pedido', 'id'], weight: 2 },
      customerId: { type: 'id', aliases: CUSTOMER_ID },
      orderedAt: { type: 'timestamp', aliases: ['ordered at', 'order date', 'order purchase timestamp', 'purchase date', 'purchased at', 'created at', 'date', 'fecha', 'fecha pedido', 'fecha de pedido', 'fecha compra'], weight: 2 },
      amount: { type: 'money', aliases: ['amount', 'total', 'order total', 'order value', 'order products value', 'revenue', 'price', 'importe', 'total pedido', 'valor', 'precio'], weight: 2 },
      status: { type: 'category', aliases: ['status', 'order status', 'estado', 'estado pedido'] },
      channel: { type: 'category', aliases: [...CHANNEL, 'sales channel', 'canal de venta'] },
      promisedAt: { type: 'timestamp', aliases: ['promised date', 'promised at', 'estimated delivery date', 'order estimated delivery date', 'expected delivery', 'due date', 'fecha prevista', 'fecha prometida', 'fecha estimada de entrega', 'fecha entrega prevista'], weight: 3 },
      deliveredAt: { type: 'timestamp', aliases: ['delivered at', 'delivery date', 'delivered date', 'order delivered customer date', 'fecha entrega', 'fecha de entrega', 'entregado'], weight: 3 },
      reviewScore: { type: 'score', scale: 'review', aliases: ['review score', 'rating', 'valoracion', 'puntuacion'] },
      units: { type: 'count', aliases: ['items', 'units', 'quantity', 'qty', 'order items qty', 'unidades', 'cantidad', 'articulos'] },
    },
  },
  return: {
    label: 'returns',
    needs: [['id'], ['orderId']],
    fileHints: ['return', 'returns', 'devolucion', 'devoluciones', 'rma', 'refunds', 'reembolsos'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['return id', 'rma', 'rma number', 'return number', 'n devolucion', 'no devolucion', 'id devolucion', 'numero de devolucion', 'devolucion'], weight: 3 },
      orderId: { type: 'id', aliases: ['order id', 'order', 'order number', 'n pedido', 'no pedido', 'id pedido', 'pedido', 'numero de pedido'], weight: 1 },
      customerId: { type: 'id', aliases: CUSTOMER_ID },
      returnedAt: { type: 'timestamp', aliases: ['returned at', 'return date', 'date', 'fecha devolucion', 'fecha de devolucion', 'fecha'], weight: 2 },
      reason: { type: 'category', aliases: ['reason', 'return reason', 'motivo', 'motivo devolucion', 'causa'], weight: 2 },
      amount: { type: 'money', aliases: ['amount', 'refund', 'refund amount', 'value', 'importe', 'importe devolucion', 'valor'] },
      product: { type: 'category', aliases: ['product', 'sku', 'item', 'producto', 'articulo', 'referencia'] },
      units: { type: 'count', aliases: ['units', 'quantity', 'qty', 'unidades', 'cantidad'] },
    },
  },
  invoice_change: {
    label: 'invoices and invoice changes',
    needs: [['id']],
    fileHints: ['invoice', 'invoices', 'factura', 'facturas', 'facturacion', 'billing', 'credit', 'abonos', 'rectificativas'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['invoice id', 'invoice', 'invoice number', 'invoice no', 'factura', 'n factura', 'no factura', 'id factura', 'numero de factura'], weight: 3 },
      customerId: { type: 'id', aliases: CUSTOMER_ID },
      orderId: { type: 'id', aliases: ['order id', 'order', 'pedido', 'n pedido', 'id pedido'] },
      issuedAt: { type: 'timestamp', aliases: ['issued at', 'invoice date', 'issue date', 'date', 'fecha factura', 'fecha emision', 'fecha'] },
      changedAt: { type: 'timestamp', aliases: ['changed at', 'change date', 'corrected at', 'correction date', 'fecha cambio', 'fecha rectificacion', 'fecha modificacion'], weight: 2 },
      changeType: { type: 'category', aliases: ['change type', 'change', 'adjustment type', 'type', 'tipo de cambio', 'tipo cambio', 'tipo rectificacion', 'tipo'], weight: 3 },
      reason: { type: 'category', aliases: ['reason', 'change reason', 'motivo', 'causa'] },
      amount: { type: 'money', aliases: ['amount', 'total', 'importe', 'adjustment amount', 'valor'] },
    },
  },
  customer: {
    label: 'customers',
    needs: [['id']],
    fileHints: ['customer', 'customers', 'clientes', 'cliente', 'accounts', 'cuentas', 'churn', 'bajas', 'subscribers', 'abonados'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['customer id', 'customerid', 'customer_id', 'client id', 'account id', 'id cliente', 'cliente', 'codigo cliente', 'n cliente', 'customer unique id', 'id'], weight: 2 },
      since: { type: 'timestamp', aliases: ['signup date', 'since', 'customer since', 'start date', 'created at', 'joined', 'join date', 'fecha alta', 'fecha de alta', 'alta', 'cliente desde'], weight: 2 },
      churnedAt: { type: 'timestamp', aliases: ['churn date', 'churned at', 'cancelled at', 'cancellation date', 'end date', 'fecha baja', 'fecha de baja', 'baja'], weight: 3 },
      churned: { type: 'boolean', aliases: ['churn', 'churned', 'is churned', 'cancelled', 'lost', 'abandono', 'dado de baja'], weight: 3 },
      status: { type: 'category', aliases: ['status', 'customer status', 'account status', 'estado', 'situacion'] },
      segment: { type: 'category', aliases: ['segment', 'customer segment', 'segmento', 'tipo cliente', 'customer type'] },
      plan: { type: 'category', aliases: ['plan', 'contract', 'tier', 'subscription', 'tarifa', 'contrato', 'producto'] },
      monthlyRevenue: { type: 'money', aliases: ['monthly revenue', 'monthly charges', 'monthlycharges', 'mrr', 'monthly fee', 'cuota mensual', 'ingreso mensual', 'facturacion mensual'], weight: 2 },
      revenue: { type: 'money', aliases: ['revenue', 'total charges', 'totalcharges', 'total revenue', 'lifetime revenue', 'ingresos', 'facturacion total', 'total facturado'], weight: 1 },
      tenureMonths: { type: 'number', aliases: ['tenure', 'tenure months', 'months', 'antiguedad', 'antiguedad meses', 'meses'], weight: 2 },
    },
  },
  social: {
    label: 'social-media mentions',
    needs: [['platform'], ['postedAt', 'text']],
    fileHints: ['social', 'mentions', 'menciones', 'twitter', 'instagram', 'facebook', 'redes', 'trustpilot', 'posts'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['post id', 'mention id', 'tweet id', 'id post', 'id mencion', 'id publicacion'], weight: 2 },
      postedAt: { type: 'timestamp', aliases: ['posted at', 'published at', 'date', 'created at', 'fecha', 'fecha publicacion'] },
      platform: { type: 'category', aliases: ['platform', 'network', 'social network', 'site', 'plataforma', 'red social', 'red'], weight: 3 },
      postKind: { type: 'category', aliases: ['type', 'post type', 'mention type', 'kind', 'tipo', 'tipo de mencion'] },
      rating: { type: 'score', scale: 'social', aliases: ['rating', 'stars', 'valoracion', 'estrellas'] },
      likes: { type: 'count', aliases: ['likes', 'favorites', 'reactions', 'me gusta'], weight: 2 },
      shares: { type: 'count', aliases: ['shares', 'retweets', 'reposts', 'compartidos'], weight: 2 },
      comments: { type: 'count', aliases: ['comments', 'replies', 'comentarios', 'respuestas'], weight: 1 },
      text: { type: 'text', aliases: ['text', 'content', 'message', 'post', 'body', 'texto', 'contenido', 'mensaje'] },
      customerId: { type: 'id', aliases: ['customer id', 'id cliente'] },
    },
  },
  employee_feedback: {
    label: 'employee feedback',
    needs: [['rating'], ['text']],
    fileHints: ['employee', 'employees', 'staff', 'empleados', 'plantilla', 'voice of employee', 'voe', 'frontline'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['feedback id', 'id', 'response id', 'id respuesta', 'submission id', 'id feedback', 'id de respuesta'] },
      submittedAt: { type: 'timestamp', aliases: ['submitted at', 'date', 'created at', 'fecha', 'fecha envio', 'submitted', 'submission date', 'response date', 'timestamp', 'fecha de envio', 'fecha respuesta', 'fecha de respuesta'] },
      team: { type: 'category', aliases: ['team', 'department', 'equipo', 'departamento', 'employee', 'empleado', 'team name', 'store', 'office', 'unit', 'nombre del equipo', 'tienda', 'oficina', 'sede', 'unidad'], weight: 1 },
      area: { type: 'category', aliases: ['area', 'touchpoint', 'process', 'topic', 'area de trabajo', 'proceso', 'tema', 'touch point', 'journey step', 'work area', 'system', 'tool', 'punto de contacto', 'sistema', 'herramienta', 'paso'], weight: 2 },
      rating: { type: 'score', scale: 'frustration', aliases: ['frustration', 'frustration rating', 'blocker rating', 'frustracion', 'nivel de frustracion', 'bloqueo', 'frustration score', 'frustration level', 'blocker', 'blocker score', 'friction', 'friction score', 'pain score', 'puntuacion frustracion', 'puntuacion de frustracion', 'grado de frustracion', 'nivel de bloqueo', 'friccion', 'nivel de friccion'], weight: 4 },
      text: { type: 'text', aliases: ['comment', 'text', 'feedback', 'comentario', 'texto', 'observaciones', 'comments', 'open text', 'notes', 'what blocks you', 'comentarios', 'notas', 'descripcion', 'que te bloquea'] },
    },
  },
  deal: {
    label: 'deals',
    needs: [['id']],
    fileHints: ['deal', 'deals', 'opportunities', 'opportunity', 'oportunidades', 'contracts', 'pipeline', 'contratos'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['deal id', 'opportunity id', 'contract id', 'id oportunidad', 'id deal', 'id contrato', 'deal number', 'opportunity number', 'contract number', 'n oportunidad', 'numero de oportunidad', 'id negocio', 'n contrato', 'numero de contrato'], weight: 3 },
      customerId: { type: 'id', aliases: [...CUSTOMER_ID, 'account', 'company id', 'organization id', 'organisation id', 'id empresa'] },
      createdAt: { type: 'timestamp', aliases: ['created at', 'created date', 'open date', 'fecha creacion', 'fecha apertura', 'create date', 'created', 'creation date', 'date created', 'deal created', 'opened at', 'fecha de creacion', 'fecha de apertura', 'fecha alta', 'creado'] },
      closedAt: { type: 'timestamp', aliases: ['closed at', 'close date', 'closed date', 'fecha cierre', 'fecha de cierre', 'date closed', 'closed on', 'won time', 'deal won time', 'won date', 'signed at', 'signature date', 'fecha ganada', 'fecha firma', 'fecha de firma', 'cerrado'], weight: 2 },
      stage: { type: 'category', aliases: ['stage', 'status', 'outcome', 'etapa', 'estado', 'resultado', 'deal stage', 'opportunity stage', 'pipeline stage', 'deal status', 'fase', 'etapa de venta', 'estado de la oportunidad', 'estado oportunidad'], weight: 2 },
      won: { type: 'boolean', aliases: ['won', 'is won', 'ganada', 'ganado', 'closed won', 'is closed won', 'won flag', 'ganada s n', 'es ganada'], weight: 2 },
      amount: { type: 'money', aliases: ['amount', 'value', 'deal value', 'importe', 'valor', 'deal amount', 'opportunity amount', 'contract value', 'total contract value', 'tcv', 'acv', 'importe oportunidad', 'importe del contrato', 'valor del contrato', 'monto'] },
    },
  },
  onboarding: {
    label: 'onboarding and installations',
    needs: [['customerId', 'startedAt']],
    fileHints: ['onboarding', 'installation', 'installations', 'instalaciones', 'instalacion', 'activation', 'activaciones', 'altas'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['onboarding id', 'installation id', 'id instalacion', 'activation id', 'id onboarding', 'id activacion', 'id de instalacion'] },
      customerId: { type: 'id', aliases: CUSTOMER_ID },
      startedAt: { type: 'timestamp', aliases: ['started at', 'start date', 'fecha inicio', 'inicio', 'started', 'onboarding start', 'onboarding start date', 'onboarding started at', 'kickoff date', 'kick off date', 'fecha de inicio', 'fecha inicio onboarding', 'comienzo', 'fecha comienzo'] },
      firstValueAt: { type: 'timestamp', aliases: ['installed at', 'first value at', 'activated at', 'completed at', 'fecha instalacion', 'fecha activacion', 'instalado', 'first value date', 'installation date', 'install date', 'installed on', 'activation date', 'go live', 'go live date', 'live at', 'fecha de instalacion', 'fecha de activacion', 'fecha primer valor', 'puesta en marcha', 'fecha puesta en marcha'], weight: 3 },
      success: { type: 'boolean', aliases: ['success', 'successful', 'installed', 'exito', 'correcta', 'instalacion correcta', 'succeeded', 'installation successful', 'activated', 'exitosa', 'exitoso', 'con exito', 'instalada', 'activada'], weight: 2 },
      attempts: { type: 'count', aliases: ['attempts', 'tries', 'intentos', 'visitas', 'number of attempts', 'attempt count', 'visits', 'n intentos', 'numero de intentos', 'n visitas', 'numero de visitas'], weight: 3 },
    },
  },
  // A status history (Zendesk ticket events or audits flattened to rows). Its generic headers
  // (ticket id, status, created at) fit a minimal ticket list as well, so those alone tie with
  // `ticket` and ask for --kind; an event id column or a file name such as `ticket_events` or
  // `historial` settles it.
  ticket_event: {
    label: 'ticket status events',
    needs: [['ticketId', 'at', 'status']],
    fileHints: ['events', 'event', 'eventos', 'evento', 'audits', 'audit', 'auditoria', 'history', 'historial', 'status changes', 'cambios de estado', 'transitions'],
    idField: 'id',
    fields: {
      id: { type: 'id', aliases: ['event id', 'audit id', 'change id', 'id evento', 'id de evento', 'id cambio'], weight: 3 },
      ticketId: { type: 'id', aliases: ['ticket id', 'ticket', 'ticket number', 'ticket no', 'id ticket', 'n ticket', 'no ticket', 'numero de ticket', 'id incidencia', 'incidencia'] },
      at: { type: 'timestamp', aliases: ['timestamp', 'event at', 'changed at', 'status changed at', 'created at', 'updated at', 'date', 'fecha', 'fecha evento', 'fecha cambio', 'fecha de cambio'] },
      status: { type: 'category', aliases: ['status', 'new status', 'status to', 'to status', 'estado', 'estado nuevo', 'nuevo estado'], weight: 2 },
    },
  },
};

/**
 * Folds a header (or a value used as a lookup key) so that case, accents, spacing and punctuation
 * don't matter: `Fecha de Creación`, `fecha_de_creacion` and ` FECHA-DE-CREACIÓN ` all give
 * `fecha de creacion`. NFKD also turns `º` into `o`, so `Nº pedido` gives `no pedido`.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
