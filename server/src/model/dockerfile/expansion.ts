// Variable references and their expansion live with the parse (parse/expansion.ts), which resolves FROM <stage>
// parents named through global ARGs; the model's readers import them from here too.
export * from '../../parse/expansion';
