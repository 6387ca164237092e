console.log("edgevm")
