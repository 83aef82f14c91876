/** Word pools for the Verdemar demo: comments, subjects, products, names. */

export type NpsTopic = 'tarde' | 'devolucion' | 'factura' | 'nadie' | 'instalacion' | 'precio' | 'telefono';

/** Detractor comments (Spanish): the words to find are `tarde`, `devolución`, `factura`, `nadie responde`. */
export const NPS_DETRACTOR: Record<NpsTopic, readonly string[]> = {
  tarde: [
    'El pedido llegó tarde y nadie me avisó.',
    'Llegó tarde, casi una semana después de la fecha prometida.',
    'Otra vez tarde. Así no se puede planificar nada.',
    'La entrega llegó tarde y el seguimiento no se actualizaba.',
    'Pagué envío exprés y llegó tarde igualmente.',
  ],
  devolucion: [
    'La devolución fue un lío y todavía espero el reembolso.',
    'Hice una devolución hace semanas y no me han devuelto el dinero.',
    'El proceso de devolución es lentísimo.',
    'Para la devolución me mandaron a la tienda y en la tienda al teléfono.',
    'Devolución complicada: la recogida no pasó y el reembolso llegó tarde.',
  ],
  factura: [
    'La factura venía con el IVA mal y tuve que pedir otra.',
    'Me cobraron de más en la factura.',
    'Pedí factura con el NIF de la empresa y vino mal dos veces.',
    'Problemas constantes con la factura.',
  ],
  nadie: [
    'Llamé tres veces y nadie responde.',
    'Escribo por el chat y nadie responde.',
    'Nadie responde a los correos, fatal servicio.',
    'Atención al cliente inexistente, nadie responde.',
  ],
  instalacion: [
    'El técnico vino dos veces y el termostato sigue sin funcionar.',
    'La instalación falló y nadie responde para dar otra cita.',
    'Compré el kit de casa inteligente y no hay manera de instalarlo.',
    'Instalación fallida, he perdido dos mañanas esperando al técnico.',
  ],
  precio: ['Precios más altos que la competencia.', 'Los gastos de envío son carísimos.', 'Las ofertas nunca se aplican en el carrito.'],
  telefono: [
    'Demasiado tiempo de espera al teléfono.',
    'Me pasaron de un departamento a otro y al final nadie responde.',
    'Media hora al teléfono para una pregunta sencilla.',
  ],
};

export const NPS_PASSIVE: readonly string[] = [
  'Bien, aunque el envío podría ser más barato.',
  'Correcto, sin más.',
  'El producto está bien, la web es algo lenta.',
  'Normal. Ni bien ni mal.',
  'Buen surtido, pero faltan medidas de cortinas.',
  'Todo correcto aunque tardó un poco.',
  'Me gusta la tienda, el aparcamiento es complicado.',
  'Precio razonable, la app se cuelga a veces.',
];

export const NPS_PROMOTER: readonly string[] = [
  'Envío rápido y bien embalado.',
  'Todo muy rápido, llegó antes de lo previsto.',
  'Rápido y sin complicaciones.',
  'Pedido rápido y fácil desde la app.',
  'El personal de la tienda fue muy amable.',
  'El repartidor, muy amable y puntual.',
  'Muy amable la chica de atención al cliente.',
  'Muy buena calidad de los productos.',
  'Calidad excelente, volveré a comprar.',
  'Relación calidad-precio inmejorable.',
  'Las sábanas son de una calidad estupenda.',
  'Nuestro gestor de cuenta es muy amable y todo llega rápido.',
];

/** Comments that need CSV quoting (a `;` or quotes inside), used now and then. */
export const NPS_QUOTED: { readonly detractor: readonly string[]; readonly passive: readonly string[]; readonly promoter: readonly string[] } = {
  detractor: [
    'Me dijeron "mañana llega" y llegó tarde.',
    'Devolución pendiente; nadie responde.',
    'La factura "rectificada" seguía mal; tuve que llamar otra vez.',
  ],
  passive: ['Buena calidad; el precio, algo alto.', 'El modelo "Nórdico" está bien; el montaje, regular.'],
  promoter: ['Rápido; el repartidor, muy amable.', 'El sofá "Lisboa" es de gran calidad.'],
};

/** The one comment with a line break inside its quoted field. */
export const NPS_MULTILINE = 'Pedí una devolución hace tres semanas.\nNadie responde y sigo sin reembolso.';

export type CsatTopic = 'late' | 'invoice' | 'refund' | 'generic';

export const CSAT_NEGATIVE: Record<CsatTopic, readonly string[]> = {
  late: [
    'My order arrived late and nobody told me why.',
    'Delivery was late, again.',
    'Tracking said out for delivery for four days. Late.',
  ],
  invoice: ['Third time my invoice was wrong.', 'Had to ask twice for a corrected invoice.', 'The credit note still is not right.'],
  refund: ['Still waiting for my refund.', 'The return process is a nightmare.'],
  generic: ['No one answers the phone.', 'Had to chase three times.', 'Slow and unhelpful.', 'Agent said "within 24 hours", it took a week.'],
};

export const CSAT_NEUTRAL: readonly string[] = ['OK, but it took a while.', 'Fine.', 'Solved, although I had to explain it twice.', 'Answer was correct, just slow.'];

export const CSAT_POSITIVE: readonly string[] = [
  'Quick and friendly, thanks!',
  'Sorted in minutes, very helpful.',
  'Friendly agent, quick answer.',
  'Great service, problem solved first time.',
  'Helpful and polite.',
  'Fast, friendly, done.',
];

export const PRODUCTS_HOME: readonly string[] = [
  'Juego de sábanas 150 cm',
  'Edredón nórdico 240x220',
  'Cortina de lino 140x260',
  'Cojín de terciopelo',
  'Alfombra de yute 160x230',
  'Set de toallas (6 piezas)',
  'Lámpara de mesa de cerámica',
  'Sartén antiadherente 28 cm',
  'Vajilla de gres 18 piezas',
  'Jarrón de cristal soplado',
  'Silla de comedor de roble',
  'Estantería modular',
  'Colchón viscoelástico 150x190',
  'Cesta de mimbre',
  'Mantel antimanchas',
  'Espejo redondo 80 cm',
  'Termostato inteligente',
  'Enchufe inteligente (pack 2)',
  'Bombilla inteligente E27',
  'Cámara de seguridad Wi-Fi',
];

export const PRODUCTS_B2B: readonly string[] = [
  'Sillas de oficina (lote 10)',
  'Ropa de cama hotel (lote 20)',
  'Menaje de hostelería',
  'Cortinas ignífugas a medida',
  'Termostatos inteligentes (lote 12)',
];

export const RETURN_REASONS = ['Talla incorrecta', 'Producto dañado', 'No es lo que esperaba', 'Llegó tarde', 'Cambio de opinión'] as const;

export const TICKET_SUBJECTS: Record<string, readonly string[]> = {
  wismo: ['Where is my order {order}?', '¿Dónde está mi pedido {order}?', 'Order {order} is late', 'Delivery of {order} missed its date'],
  delivery: ['Change my delivery address', 'Delivery slot options', 'Can I collect my order in store?', 'Carrier left the parcel outside'],
  return: ['Refund for return {return}', 'Devolución {return} sin reembolso', 'Return {return}: pickup never came', 'Status of return {return}'],
  returns: ['How do I return an item?', 'Return label not working', '¿Puedo devolver en tienda un pedido online?'],
  invoice: ['Invoice {invoice} has the wrong VAT', 'Factura {invoice} incorrecta', 'Credit note for invoice {invoice}', 'Invoice {invoice}: wrong company details'],
  billing: ['Charged twice', 'Need an invoice with our company tax ID', 'Payment declined but money taken', 'Discount code not applied'],
  install: ['Smart thermostat installation failed', 'Instalación de termostato fallida', 'Installer did not show up', 'Smart plug will not pair after install'],
  installq: ['How do I connect the thermostat to the app?', 'Smart home app permissions', 'Second smart plug setup'],
  product: ['Product arrived damaged', 'Missing parts in the shelf kit', 'Sizes of the linen curtains', 'Is the rug machine washable?', 'Colour differs from the website'],
  account: ['Change my email address', 'Cannot log in to the app', 'Cancel my Verdemar Club plan', 'Update billing address', 'Delete my account data'],
};

export const AGENTS: Record<'Support' | 'Billing' | 'Logistics', readonly string[]> = {
  Support: ['Lucía Fernández', 'Javier Romero', 'Marta Gil', 'Aisha Khan', 'Daniel Ortega', 'Tom Baker'],
  Billing: ['Elena Castro', 'Raúl Medina', 'Sophie Turner'],
  Logistics: ['Irene Vidal', 'Pablo Herrera', 'Nuria Campos', "James O'Neill"],
};

export const CALL_AGENTS: readonly string[] = [
  'Ana Morales',
  'Carlos Ruiz',
  'Beatriz León',
  'Sergio Núñez',
  'Laura Prieto',
  'Miguel Sáez',
  'Claire Davies',
  'Óscar Blanco',
  'Rocío Delgado',
  'Hugo Serrano',
];

export const REGIONS: readonly (readonly [string, number])[] = [
  ['Madrid', 22],
  ['Cataluña', 17],
  ['Andalucía', 15],
  ['Comunidad Valenciana', 11],
  ['País Vasco', 6],
  ['Galicia', 5],
  ['Castilla y León', 4],
  ['Aragón', 3],
  ['Murcia', 3],
  ['Canarias', 3],
  ['Baleares', 2],
  ['Asturias', 2],
  ['Navarra', 2],
  ['United Kingdom', 5],
];

export const SOCIAL_TEXTS: Record<'complaint' | 'mention' | 'praise', readonly string[]> = {
  complaint: [
    '@Verdemar my order is late again, no updates at all',
    'Still waiting for my refund @Verdemar, two weeks now',
    '@Verdemar nobody answers the phone, what is going on?',
    '@Verdemar mi pedido llega tarde otra vez',
    'Llevo dos semanas esperando el reembolso de una devolución, @Verdemar',
    '@Verdemar nadie responde en el chat',
    'Wrong invoice for the third time, @Verdemar. Sort it out.',
    'La factura de @Verdemar vuelve a estar mal, ya van dos',
  ],
  mention: [
    'Just picked up new cushions at @Verdemar',
    'Mirando sofás en Verdemar este finde',
    'Anyone tried the Verdemar smart thermostat?',
    'Verdemar has its winter sale on, "up to 40%" they say',
    'Nueva tienda de Verdemar en Valencia, ¿alguien ha ido?',
    'Comparing bedding: Verdemar vs the usual suspects',
  ],
  praise: [
    'Love my new bedding from @Verdemar, great quality',
    'Entrega rápida y el repartidor muy amable, gracias @Verdemar',
    'Verdemar store staff were so helpful today',
    'La calidad de las toallas de @Verdemar es top',
    'Quick delivery and a handwritten note. Thanks @Verdemar!',
  ],
};

export const REVIEW_TEXTS: Record<1 | 2 | 3 | 4 | 5, readonly string[]> = {
  1: [
    'Worst customer service: nobody answers and my refund is missing.',
    'Pedido tarde, devolución eterna y nadie responde. No vuelvo.',
    'Invoice wrong twice, delivery late. Avoid.',
  ],
  2: ['Late delivery and poor communication.', 'Producto bonito pero llegó dañado y la devolución fue lenta.'],
  3: ['Average. Nice products, messy returns.', 'Correcto, aunque el envío tardó más de lo prometido.'],
  4: ['Good products, delivery a bit slow.', 'Buena calidad y buen precio, la web mejorable.'],
  5: ['Great quality, fast delivery.', 'Todo perfecto, volveré a comprar.', 'Friendly staff, quick refund, lovely linen.'],
};

export const EMPLOYEE_TEAMS: readonly (readonly [string, readonly string[]])[] = [
  ['Contact centre', ['returns process', 'billing system', 'delivery tracking', 'knowledge base']],
  ['Store Madrid', ['stock visibility', 'returns process', 'checkout tills', 'smart home installs']],
  ['Store Barcelona', ['stock visibility', 'returns process', 'checkout tills', 'smart home installs']],
  ['Store Valencia', ['stock visibility', 'returns process', 'checkout tills']],
  ['Warehouse Getafe', ['delivery tracking', 'stock visibility', 'scheduling']],
  ['Billing office', ['billing system', 'returns process']],
];

export const EMPLOYEE_COMMENTS: Record<string, readonly string[]> = {
  'returns process': [
    'Returns need three screens to process, customers wait at the till.',
    'Refund status is not visible to us, so we cannot answer customers.',
    'Online returns brought to the store have no label to scan.',
  ],
  'billing system': [
    'Correcting an invoice takes a request to finance and two days.',
    'VAT for Canarias orders is still wrong in the system.',
    'Credit notes cannot be issued from the desk, only by finance.',
  ],
  'delivery tracking': [
    'Carrier tracking is hours behind, customers call us first.',
    'We cannot see the delivery slot the customer chose.',
    'Peak season: half the calls are "where is my order".',
  ],
  'stock visibility': ['The web shows stock the store does not have.', 'No view of warehouse stock from the store.', 'Stock counts are a day old.'],
  'knowledge base': ['Articles on the smart home line are out of date.', 'Hard to find the returns policy for B2B.'],
  'checkout tills': ['Tills freeze during the afternoon rush.', 'Card reader drops the connection on Saturdays.'],
  'smart home installs': ['Installers do not get the router details beforehand.', 'Failed installs come back to the store with no notes.'],
  scheduling: ['Rota published too late in peak season.', 'Not enough pickers on Mondays.'],
};
