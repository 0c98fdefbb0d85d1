/** Pre-filled in GraphiQL so a first-time user can run something useful at once. */
export const EXAMPLE_OPERATIONS = `# Welcome to PHERS. Pick an operation with the play button.

query Datasets {
  datasets(first: 10) {
    edges { node { id name tableName version rowCount columns { name originalName type role } } }
  }
}

query ByManufacturer {
  sql(query: "SELECT manufacturer, count(*) AS devices, round(avg(cost), 2) AS avg_cost FROM it_assets GROUP BY 1 ORDER BY 2 DESC") {
    columns { name type }
    rows
    rowCount
    durationMs
  }
}

query Ask {
  chat(message: "how many Dell laptops are in Berlin?") { answer sql rows conversationId }
}

subscription Events {
  datasetEvents { kind dataset { name version } rowsRead }
}
`
