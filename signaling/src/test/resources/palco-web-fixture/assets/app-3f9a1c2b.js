console.log("hashed asset fixture");
